/**
 * The postgres driver's schema, as numbered migrations applied at open. The runner takes a
 * transaction-scoped advisory lock first, so several nodes starting at once apply each
 * migration exactly once; each migration and its row in `govc_schema_migrations` commit
 * together, so a failed start leaves the schema as it was. Running it again is a no-op.
 *
 * Tables are prefixed `govc_` so the database can be shared with other software.
 */
import type { Pool } from 'pg';
import { inTransaction } from './postgres-transaction';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** An arbitrary constant naming our advisory lock ("govc" in ASCII). */
const MIGRATION_LOCK_KEY = 0x676f7663;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'repositories, objects, refs, reflogs, metadata, secrets',
    statements: [
      `CREATE TABLE govc_repositories (
         id text PRIMARY KEY,
         -- Fencing token for cluster ownership (DESIGN §5); bumped by a new owner.
         epoch bigint NOT NULL DEFAULT 0,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      // Object rows of one repository get increasing seq values in commit order (every flush
      // locks its repository row first), so another node catches up with "seq > last seen".
      `CREATE SEQUENCE govc_object_seq`,
      `CREATE TABLE govc_objects (
         repo_id text NOT NULL REFERENCES govc_repositories(id) ON DELETE CASCADE,
         oid bytea NOT NULL,
         type smallint NOT NULL,
         compression smallint NOT NULL,
         body bytea NOT NULL,
         seq bigint NOT NULL DEFAULT nextval('govc_object_seq'),
         PRIMARY KEY (repo_id, oid)
       )`,
      `CREATE INDEX govc_objects_repo_seq ON govc_objects (repo_id, seq)`,
      `CREATE TABLE govc_refs (
         repo_id text NOT NULL REFERENCES govc_repositories(id) ON DELETE CASCADE,
         name text NOT NULL,
         oid text,
         symbolic text,
         version bigint NOT NULL DEFAULT 1,
         PRIMARY KEY (repo_id, name),
         CHECK ((oid IS NULL) <> (symbolic IS NULL))
       )`,
      `CREATE TABLE govc_reflog (
         repo_id text NOT NULL REFERENCES govc_repositories(id) ON DELETE CASCADE,
         name text NOT NULL,
         position integer NOT NULL,
         old_oid text NOT NULL,
         new_oid text NOT NULL,
         committer_name text NOT NULL,
         committer_email text NOT NULL,
         committed_at bigint NOT NULL,
         timezone text NOT NULL,
         message text NOT NULL,
         PRIMARY KEY (repo_id, name, position)
       )`,
      `CREATE TABLE govc_metadata (
         collection text NOT NULL,
         id text NOT NULL,
         document jsonb NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (collection, id)
       )`,
      `CREATE TABLE govc_secrets (
         name text PRIMARY KEY,
         value text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    ],
  },
  {
    version: 2,
    name: 'govc_flush: a unit of work in one statement',
    statements: [
      // One round trip per flush: the statement is its own transaction. A lost compare-and-swap
      // raises GV409 (message: the ref, detail: its current value) and rolls everything back.
      `CREATE FUNCTION govc_flush(
         p_repo text, p_oids bytea[], p_types smallint[], p_compression smallint[], p_bodies bytea[],
         p_refs jsonb, p_reflogs jsonb, p_notify text
       ) RETURNS void LANGUAGE plpgsql AS $$
       DECLARE
         r record;
         l record;
         changed integer;
         current_oid text;
         current_symbolic text;
         first_position integer;
       BEGIN
         PERFORM 1 FROM govc_repositories WHERE id = p_repo FOR UPDATE;
         IF NOT FOUND THEN
           RAISE EXCEPTION USING ERRCODE = 'GV404', MESSAGE = p_repo;
         END IF;
         INSERT INTO govc_objects (repo_id, oid, type, compression, body)
           SELECT p_repo, u.oid, u.type, u.compression, u.body
           FROM unnest(p_oids, p_types, p_compression, p_bodies) AS u(oid, type, compression, body)
           ON CONFLICT (repo_id, oid) DO NOTHING;
         FOR r IN SELECT * FROM jsonb_to_recordset(p_refs)
             AS x(name text, seen boolean, seen_oid text, seen_symbolic text, present boolean, oid text, symbolic text)
         LOOP
           IF NOT r.seen THEN
             INSERT INTO govc_refs (repo_id, name, oid, symbolic) VALUES (p_repo, r.name, r.oid, r.symbolic)
               ON CONFLICT (repo_id, name) DO NOTHING;
           ELSIF NOT r.present THEN
             DELETE FROM govc_refs WHERE repo_id = p_repo AND name = r.name
               AND oid IS NOT DISTINCT FROM r.seen_oid AND symbolic IS NOT DISTINCT FROM r.seen_symbolic;
           ELSE
             UPDATE govc_refs SET oid = r.oid, symbolic = r.symbolic, version = version + 1
               WHERE repo_id = p_repo AND name = r.name
               AND oid IS NOT DISTINCT FROM r.seen_oid AND symbolic IS NOT DISTINCT FROM r.seen_symbolic;
           END IF;
           GET DIAGNOSTICS changed = ROW_COUNT;
           IF changed <> 1 THEN
             SELECT g.oid, g.symbolic INTO current_oid, current_symbolic FROM govc_refs g
               WHERE g.repo_id = p_repo AND g.name = r.name;
             -- Already holding the new value: this very batch committed before and is retried
             -- (the client lost the answer). Anything else is another writer's value.
             IF NOT (current_oid IS NOT DISTINCT FROM r.oid AND current_symbolic IS NOT DISTINCT FROM r.symbolic) THEN
               RAISE EXCEPTION USING ERRCODE = 'GV409', MESSAGE = r.name,
                 DETAIL = coalesce(current_oid, 'ref: ' || current_symbolic, '');
             END IF;
           END IF;
         END LOOP;
         FOR l IN SELECT * FROM jsonb_to_recordset(p_reflogs) AS x(name text, reset boolean, base integer, entries jsonb)
         LOOP
           first_position := CASE WHEN l.reset THEN 0 ELSE l.base END;
           DELETE FROM govc_reflog WHERE repo_id = p_repo AND name = l.name AND position >= first_position;
           INSERT INTO govc_reflog (repo_id, name, position, old_oid, new_oid, committer_name, committer_email,
                                    committed_at, timezone, message)
             SELECT p_repo, l.name, first_position + (e.ordinality - 1)::integer, e.value->>0, e.value->>1, e.value->>2,
                    e.value->>3, (e.value->>4)::bigint, e.value->>5, e.value->>6
             FROM jsonb_array_elements(l.entries) WITH ORDINALITY AS e(value, ordinality);
         END LOOP;
         IF p_notify IS NOT NULL THEN
           PERFORM pg_notify('govc_changes', p_notify);
         END IF;
       END;
       $$`,
    ],
  },
];

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS govc_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (
        await client.query<{ version: number }>('SELECT version FROM govc_schema_migrations')
      ).rows.map((row) => row.version),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO govc_schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
