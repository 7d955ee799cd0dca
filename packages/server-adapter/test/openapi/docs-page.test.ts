import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/openapi/build-document';
import { startTestServer, type TestServer } from '../support/test-server';

// /docs in a real browser, from the standalone server: it must render every operation from the
// embedded document with nothing but its own inline script and style, under its strict CSP.

let t: TestServer;
let browser: Browser;
let document: OpenApiDocument;

beforeAll(async () => {
  [t, browser] = await Promise.all([
    startTestServer('memory'),
    chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
  ]);
  document = (await (await fetch(`${t.url}/openapi.json`)).json()) as OpenApiDocument;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function openDocs(hash = '') {
  const page = await browser.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${t.url}/docs${hash}`);
  await page.waitForSelector('body[data-rendered]', { timeout: 10_000 });
  return { page, problems, requests };
}

describe('/docs', () => {
  it('renders every operation, grouped by tag, without errors, CSP violations or requests elsewhere', async () => {
    const { page, problems, requests } = await openDocs();
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(await page.locator('details.op').count()).toBe(operations.length);
    expect(await page.getAttribute('body', 'data-rendered')).toBe(String(operations.length));
    const headings = await page.locator('section.tag > h2').allTextContents();
    expect(headings).toEqual(document.tags.map((tag) => tag.name));
    for (const op of operations) expect(await page.locator(`#op-${op.operationId} summary`).textContent()).toContain(op.summary);
    expect(await page.title()).toBe(`${document.info.title} ${document.info.version}`);
    expect(problems).toEqual([]);
    expect(requests).toEqual([`${t.url}/docs`]);
    await page.close();
  });

  it('shows an operation in full when linked: parameters, body, auth and responses, with links to schemas', async () => {
    const { page, problems } = await openDocs('#op-addSystem');
    const op = page.locator('#op-addSystem');
    expect(await op.getAttribute('open')).not.toBeNull();
    const text = (await op.textContent())!;
    for (const part of ['POST', '/api/partners/{id}/systems', 'Parameters', 'Request body', 'Responses', '201', '409', 'adminToken', 'AddedSystem', 'Problem']) {
      expect(text).toContain(part);
    }
    // The body is the core's own schema, rendered as its properties.
    expect(text).toContain('CreatePartnerInput'.replace('CreatePartner', 'AddSystem'));
    await op.locator('a.ref', { hasText: 'AddedSystem' }).first().click();
    expect(page.url()).toMatch(/#schema-AddedSystem$/);
    const schema = (await page.locator('#schema-AddedSystem').textContent())!;
    for (const property of ['writeKey', 'secretKey', 'settings', 'createdAt']) expect(schema).toContain(property);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the authentication schemes and every named schema', async () => {
    const { page } = await openDocs();
    for (const scheme of Object.keys(document.components.securitySchemes)) expect(await page.locator(`#auth-${scheme}`).count()).toBe(1);
    expect(await page.locator('#schemas .component').count()).toBe(Object.keys(document.components.schemas).length);
    const problem = (await page.locator('#schema-Problem').textContent())!;
    for (const property of ['type', 'title', 'status', 'detail', 'code', 'errors']) expect(problem).toContain(property);
    await page.close();
  });
});
