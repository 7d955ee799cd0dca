import { z } from 'zod';
import { named } from '../openapi/component-name';
import { statusOfCode } from '../handler/problem';

const codes = Object.keys(statusOfCode) as [keyof typeof statusOfCode, ...(keyof typeof statusOfCode)[]];

/** An RFC 9457 problem document as every error answer carries it (see `docs/errors.md`). */
export const problemSchema = named(
  z
    .object({
      type: z.literal('about:blank'),
      title: z.string().describe("The status's reason phrase"),
      status: z.number().int().describe('The HTTP status, repeated'),
      detail: z.string().describe('What went wrong, for people'),
      code: z.enum(codes).describe('What went wrong, for programs: one code per case'),
      errors: z
        .array(
          z.object({
            field: z.string().describe('Dotted path of the offending field (`batch.3.event`); empty for the input as a whole'),
            pointer: z.string().describe('The same field as a JSON Pointer'),
            message: z.string(),
          }),
        )
        .optional()
        .describe('Every offending field, on 400 and some 409'),
    })
    .describe('An RFC 9457 problem; `code` and `errors` are extension members'),
  'Problem',
);
