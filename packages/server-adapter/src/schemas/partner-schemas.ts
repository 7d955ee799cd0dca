import { createPartnerInput, updatePartnerInput } from '@volcanion-tracking/core';
import { z } from 'zod';
import { named } from '../openapi/component-name';
import { instant, pageOf } from './common-schemas';

named(createPartnerInput, 'CreatePartnerInput');
named(updatePartnerInput, 'UpdatePartnerInput');

/** A partner as the API shows it. */
export const partnerSchema = named(
  z
    .object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      contactPerson: z.string().nullable(),
      active: z.boolean().describe('False once deactivated: every key of its systems stops working'),
      createdAt: instant,
      updatedAt: instant,
    })
    .describe('A tenant: an organisation whose sites and apps send events'),
  'Partner',
);

/** A page of partners. */
export const partnerPageSchema = named(pageOf(partnerSchema), 'PartnerPage');

export { createPartnerInput, updatePartnerInput };
