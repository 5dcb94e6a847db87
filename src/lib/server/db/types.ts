/**
 * Table shapes as Kysely sees them. Timestamps are ISO 8601 UTC text on both dialects, so that values compare and
 * sort the same everywhere; booleans are avoided in favour of nullable timestamps ("enabled_at").
 */
export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  role: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** Last accepted TOTP time step (replay guard). */
  totp_last_counter: number | null;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  second_factor_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface InvitationsTable {
  id: string;
  kind: string;
  email: string | null;
  role: string;
  token_hash: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface AuthThrottleTable {
  key: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  digest: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** A node of the rights taxonomy: a category (no parent) or a right (under a category). */
export interface RightsTable {
  id: string;
  code: string;
  kind: string;
  parent_id: string | null;
  name_en: string;
  name_fr: string;
  name_hy: string;
  name_ru: string;
  /** JSON array of strings. */
  instruments: string;
  sort_order: number;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
}

export interface PlacesTable {
  id: string;
  preferred_name: string;
  type: string;
  parent_id: string | null;
  /** GeoJSON geometry as JSON text. */
  geometry: string | null;
  centroid_lat: number | null;
  centroid_lon: number | null;
  created_at: string;
  updated_at: string;
}

/** Every name of a place (the preferred one has kind 'preferred'), with its folded search key. */
export interface PlaceNamesTable {
  id: string;
  place_id: string;
  position: number;
  name: string;
  lang: string | null;
  kind: string | null;
  search_key: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  auth_throttle: AuthThrottleTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  rights: RightsTable;
  places: PlacesTable;
  place_names: PlaceNamesTable;
}
