import { sql, type Kysely } from 'kysely';
import type { Database } from './database';

/** Who is who once a batch's identify and alias links are applied. */
export interface IdentityResolution {
  /** The person (canonical id) an actor of the batch belongs to after the batch. */
  personOf(systemId: string, actor: string): string;
  /** Persons the batch merged into another one: `member`'s rows must move to `root`. */
  merges: { systemId: string; member: string; root: string }[];
}

/**
 * Applies links in their order, as one read and two writes: each link merges the person of `actor`
 * into the person of `target`. Links stay flat (every actor points at its person's canonical id),
 * so a query resolves anyone with one lookup. Equivalent to applying them one by one: a union of
 * groups where the merged group's root goes under the target group's root.
 */
export async function applyIdentityLinks(
  tx: Kysely<Database>,
  links: readonly { systemId: string; actor: string; target: string }[],
  actors: readonly { systemId: string; actor: string }[],
): Promise<IdentityResolution> {
  const key = (systemId: string, id: string) => `${systemId}\u0000${id}`;
  const idOf = (k: string) => k.slice(k.indexOf('\u0000') + 1);
  const wanted = new Map<string, { s: string; a: string }>();
  for (const a of actors) wanted.set(key(a.systemId, a.actor), { s: a.systemId, a: a.actor });
  for (const l of links) {
    wanted.set(key(l.systemId, l.actor), { s: l.systemId, a: l.actor });
    wanted.set(key(l.systemId, l.target), { s: l.systemId, a: l.target });
  }
  const initial = new Map<string, string>();
  if (wanted.size > 0) {
    const { rows } = await sql<{ s: string; a: string; canonical: string }>`
      select r.s, r.a, l.canonical from jsonb_to_recordset(${JSON.stringify([...wanted.values()])}::jsonb) as r(s uuid, a text)
      join read_model.identity_links l on l.system_id = r.s and l.actor = r.a`.execute(tx);
    for (const r of rows) initial.set(key(r.s, r.a), key(r.s, r.canonical));
  }
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const canonical = (systemId: string, id: string) => find(initial.get(key(systemId, id)) ?? key(systemId, id));
  // Every link that merged: its actor and the merged group's old root point at the final root.
  const pointed = new Map<string, string>();
  for (const l of links) {
    const into = canonical(l.systemId, l.target);
    const from = canonical(l.systemId, l.actor);
    if (from === into) continue;
    parent.set(from, into);
    pointed.set(key(l.systemId, l.actor), from);
    pointed.set(from, from);
  }
  const merges = [...parent.keys()].map((member) => ({ systemId: member.slice(0, member.indexOf('\u0000')), member: idOf(member), root: idOf(find(member)) }));
  if (merges.length > 0) {
    const moved = JSON.stringify(merges.map((m) => ({ s: m.systemId, m: m.member, r: m.root })));
    await sql`update read_model.identity_links l set canonical = r.r
      from jsonb_to_recordset(${moved}::jsonb) as r(s uuid, m text, r text)
      where l.system_id = r.s and l.canonical = r.m`.execute(tx);
    const rows = [...pointed.entries()].map(([k, group]) => ({ s: k.slice(0, k.indexOf('\u0000')), a: idOf(k), c: idOf(find(group)) }));
    await sql`insert into read_model.identity_links (system_id, actor, canonical)
      select s, a, c from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(s uuid, a text, c text)
      on conflict (system_id, actor) do update set canonical = excluded.canonical`.execute(tx);
  }
  return { personOf: (systemId, actor) => idOf(canonical(systemId, actor)), merges };
}
