import type { Kysely } from 'kysely';

// The last accepted TOTP time step, so that a code cannot be replayed within its validity window.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_last_counter', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('totp_last_counter').execute();
}
