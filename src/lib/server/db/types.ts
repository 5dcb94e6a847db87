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

/** A record of the register (a violation or incident). Its texts, links and history live in `record_*` tables. */
export interface RecordsTable {
  id: string;
  code: string;
  status: string;
  verification: string;
  confidentiality: string;
  violation_type: string | null;
  start_date: string | null;
  start_precision: string | null;
  end_date: string | null;
  end_precision: string | null;
  ongoing_at: string | null;
  affected_individuals: number | null;
  affected_children: number | null;
  affected_women: number | null;
  affected_older_persons: number | null;
  affected_persons_with_disabilities: number | null;
  affected_displaced: number | null;
  affected_whole_population: number | null;
  /** JSON array of { name, attribution }. */
  responsible: string;
  author_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  /** The record's id in the file it was imported from (unique where set): re-importing updates it. */
  external_id?: string | null;
}

export interface RecordCodeCountersTable {
  year: number;
  last: number;
}

export interface RecordTextsTable {
  record_id: string;
  lang: string;
  title: string;
  summary: string;
  description: string | null;
  translation_status: string;
}

export interface RecordPlacesTable {
  record_id: string;
  place_id: string;
  position: number;
}

export interface RecordRightsTable {
  record_id: string;
  right_id: string;
  position: number;
}

export interface RecordTagsTable {
  record_id: string;
  tag: string;
}

export interface RecordLinksTable {
  record_id: string;
  target_id: string;
  kind: string;
}

export interface RecordVerificationsTable {
  id: string;
  record_id: string;
  status: string;
  note: string | null;
  actor_id: string | null;
  at: string;
}

export interface RecordAccessTable {
  record_id: string;
  user_id: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: string;
}

export interface RecordGroupAccessTable {
  record_id: string;
  group_id: string;
}

export interface RecordRevisionsTable {
  record_id: string;
  rev: number;
  at: string;
  actor_id: string | null;
  action: string;
  note: string | null;
  /** Full JSON snapshot of the record after the write. */
  snapshot: string;
}

/** A source: inquiry, interview, open source, official document, study/report or media report. */
export interface SourcesTable {
  id: string;
  type: string;
  title: string;
  /** ISO date (YYYY-MM-DD), with the precision meant. */
  date: string | null;
  date_precision: string | null;
  language: string | null;
  publisher: string | null;
  /** The hook for the people-protection module (issue 5): an opaque id, never a name. */
  person_ref: string | null;
  url: string | null;
  captured_at: string | null;
  /** The archived copy's metadata only; the file itself arrives with the storage module (issue 4). */
  archive_sha256: string | null;
  archive_media_type: string | null;
  archive_size: number | null;
  inquiry_id: string | null;
  /** Admiralty grading: A–F and 1–6, null until graded. */
  reliability: string | null;
  credibility: number | null;
  graded_by: string | null;
  graded_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** An inquiry to a state body. Its status is computed from the dates, never stored. */
export interface InquiriesTable {
  id: string;
  body: string;
  subject: string;
  sent_on: string;
  due_on: string;
  responded_on: string | null;
  response_summary: string | null;
  reference: string | null;
  /** JSON array of { name, sha256, mediaType, size }: metadata only until the storage module. */
  attachments: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SourceRecordsTable {
  source_id: string;
  record_id: string;
  relation: string;
  quote: string;
  created_by: string | null;
  created_at: string;
}

export interface InquiryRecordsTable {
  inquiry_id: string;
  record_id: string;
  created_by: string | null;
  created_at: string;
}

/** An uploaded CSV file: checked (dry run), then imported in batches. */
export interface ImportJobsTable {
  id: string;
  actor_id: string;
  kind: string;
  filename: string;
  file_sha256: string;
  file_size: number;
  status: string;
  mode: string | null;
  rows_total: number;
  rows_invalid: number;
  rows_to_create: number;
  rows_to_update: number;
  rows_done: number;
  rows_created: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_skipped: number;
  /** JSON array of { line, column, reason }, capped. */
  errors: string;
  error_count: number;
  /** JSON array of the first rows as they would be imported. */
  preview: string;
  failure: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A user's saved record search: the query string of GET /api/records. */
export interface SavedSearchesTable {
  id: string;
  user_id: string;
  name: string;
  params: string;
  created_at: string;
}

/** A durable job (migration 0013): claimed with a lease, retried with backoff. */
export interface JobsTable {
  id: string;
  kind: string;
  /** JSON text. */
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A protected person (migration 0016): the real identity only sealed, under the person's wrapped data key. */
export interface PersonsTable {
  id: string;
  pseudonym: string;
  pseudonym_key: string;
  pseudonym_lang: string;
  /** JSON text: a list of roles (victim, witness, interviewee, source). */
  roles: string;
  key_id: string;
  wrapped_key: string;
  identity: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonAccessTable {
  person_id: string;
  user_id: string;
  granted_by: string | null;
  granted_at: string;
}

export interface StoriesTable {
  id: string;
  code: string;
  person_id: string;
  interview_source_id: string | null;
  status: string;
  author_id: string;
  version: number;
  published_at: string | null;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoryTextsTable {
  story_id: string;
  lang: string;
  title: string;
  narrative: string;
  translation: string;
}

export interface StoryLinksTable {
  story_id: string;
  kind: string;
  target_id: string;
}

export interface StoryConsentsTable {
  id: string;
  story_id: string;
  /** JSON text: the scopes consented to. */
  scopes: string;
  given_on: string;
  expires_on: string | null;
  withdrawn_on: string | null;
  withdrawal_note: string | null;
  evidence: string;
  evidence_note: string;
  witness: string | null;
  form_sha256: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface StoryCodeCountersTable {
  year: number;
  last: number;
}

/** The installation's crisis (migration 0011): one row, id 'current'. Names are JSON text of language variants. */
export interface CrisisTable {
  id: string;
  names: string;
  starts_at: string;
  time_zone: string;
  status: string;
  ends_at: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CrisisPopulationTable {
  id: string;
  position: number;
  /** JSON text: language variants. */
  label: string;
  value: number;
  source_id: string;
  note: string | null;
}

export interface DisruptionsTable {
  id: string;
  service: string;
  label: string | null;
  area: string | null;
  source_id: string | null;
  note: string | null;
  /** 0 or 1. */
  illustrative: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** The gazetteer places a disruption covers, in the order given. */
export interface DisruptionPlacesTable {
  disruption_id: string;
  place_id: string;
  position: number;
}

export interface DisruptionIntervalsTable {
  id: string;
  disruption_id: string;
  starts_on: string;
  ends_on: string | null;
  severity: string;
  source_id: string | null;
  note: string | null;
  created_at: string;
}

export interface IndicatorsTable {
  id: string;
  /** JSON text: language variants, for the name and the unit. */
  names: string;
  unit: string;
  baseline_per_day: number;
  baseline_source_id: string | null;
  baseline_period: string | null;
  illustrative: number;
  note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface IndicatorObservationsTable {
  id: string;
  indicator_id: string;
  as_of: string;
  kind: string;
  value: number;
  source_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface KeyFiguresTable {
  id: string;
  label: string;
  value: number;
  unit: string | null;
  as_of: string;
  source_id: string | null;
  note: string | null;
  illustrative: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A report: its title in language variants and the records its editions show (JSON text). */
export interface ReportsTable {
  id: string;
  titles: string;
  selection: string;
  records_per_right: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** One edition of a report, as of a date in one language; its content and PDF are blobs kept by SHA-256. */
export interface ReportEditionsTable {
  id: string;
  report_id: string;
  lang: string;
  as_of: string;
  status: string;
  progress: number;
  stage: string | null;
  failure: string | null;
  content_sha256: string | null;
  pdf_sha256: string | null;
  pdf_size: number | string | null;
  pages: number | null;
  built_by: string | null;
  created_at: string;
  updated_at: string;
  built_at: string | null;
  published_at: string | null;
  published_by: string | null;
}

/** Per-prefix counters for human codes (migration 0014): E-0001, P-0001. */
export interface CodeCountersTable {
  prefix: string;
  value: number;
}

/** A distinct evidence file, kept unchanged under its SHA-256 (migration 0014). */
export interface EvidenceItemsTable {
  id: string;
  code: string;
  sha256: string;
  size: number;
  media_type: string;
  extension: string;
  title: string;
  width: number | null;
  height: number | null;
  phash: string | null;
  /** JSON text: camera, capture time, GPS. Restricted. */
  metadata: string;
  status: 'processing' | 'ready' | 'failed';
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface EvidenceCollectionsTable {
  id: string;
  item_id: string;
  collected_by: string | null;
  collected_at: string;
  method: 'upload' | 'url-capture' | 'import';
  origin: string | null;
  tool: string | null;
  original_name: string;
}

export interface EvidenceCustodyTable {
  id: string;
  item_id: string;
  at: string;
  actor_id: string | null;
  action: string;
  /** JSON text: the change hashed into the audit entry. */
  detail: string;
  audit_seq: number;
}

export interface EvidenceRedactionsTable {
  id: string;
  item_id: string;
  regions: string;
  fill: 'solid' | 'mosaic';
  sha256: string;
  created_by: string | null;
  created_at: string;
}

export interface EvidenceDerivativesTable {
  id: string;
  item_id: string;
  variant: string;
  kind: 'thumb' | 'web' | 'large';
  format: 'jpeg' | 'webp';
  sha256: string;
  size: number;
  width: number;
  height: number;
  created_at: string;
}

export interface EvidenceLinksTable {
  item_id: string;
  target_type: 'record' | 'source';
  target_id: string;
  created_by: string | null;
  created_at: string;
}

/** A photo bank item (migration 0015). */
export interface PhotosTable {
  id: string;
  code: string;
  evidence_id: string;
  credit: string;
  taken_on: string | null;
  place_id: string | null;
  usage: 'own-work' | 'open-source' | 'no-rights';
  source_url: string | null;
  licence: string | null;
  identifiable_persons: number;
  status: 'draft' | 'published' | 'unpublished';
  status_reason: string | null;
  published_at: string | null;
  published_by: string | null;
  first_published_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PhotoCaptionsTable {
  photo_id: string;
  lang: string;
  caption: string;
}

export interface PhotoTagsTable {
  photo_id: string;
  tag: string;
}

export interface PhotoRecordsTable {
  photo_id: string;
  record_id: string;
}

export interface PhotoConsentsTable {
  id: string;
  photo_id: string;
  subject: 'author' | 'person';
  person_label: string;
  /** JSON text: publish-image, press-kit, social-media. */
  scopes: string;
  given_on: string;
  expires_on: string | null;
  withdrawn_at: string | null;
  withdrawn_note: string | null;
  evidenced_by: 'form' | 'verbal';
  form_evidence_id: string | null;
  verbal_note: string | null;
  witness: string | null;
  created_by: string | null;
  created_at: string;
  /** A person of the people registry (migration 0019), beside the label; never their identity. */
  person_id: string | null;
}

export interface PhotoDownloadsTable {
  id: string;
  photo_id: string;
  actor_id: string | null;
  size: string;
  format: string;
  at: string;
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
  records: RecordsTable;
  record_code_counters: RecordCodeCountersTable;
  record_texts: RecordTextsTable;
  record_places: RecordPlacesTable;
  record_rights: RecordRightsTable;
  record_tags: RecordTagsTable;
  record_links: RecordLinksTable;
  record_verifications: RecordVerificationsTable;
  record_access: RecordAccessTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  record_group_access: RecordGroupAccessTable;
  record_revisions: RecordRevisionsTable;
  sources: SourcesTable;
  inquiries: InquiriesTable;
  source_records: SourceRecordsTable;
  inquiry_records: InquiryRecordsTable;
  import_jobs: ImportJobsTable;
  reports: ReportsTable;
  report_editions: ReportEditionsTable;
  saved_searches: SavedSearchesTable;
  crisis: CrisisTable;
  crisis_population: CrisisPopulationTable;
  disruptions: DisruptionsTable;
  disruption_intervals: DisruptionIntervalsTable;
  disruption_places: DisruptionPlacesTable;
  indicators: IndicatorsTable;
  indicator_observations: IndicatorObservationsTable;
  key_figures: KeyFiguresTable;
  jobs: JobsTable;
  code_counters: CodeCountersTable;
  evidence_items: EvidenceItemsTable;
  evidence_collections: EvidenceCollectionsTable;
  evidence_custody: EvidenceCustodyTable;
  evidence_redactions: EvidenceRedactionsTable;
  evidence_derivatives: EvidenceDerivativesTable;
  evidence_links: EvidenceLinksTable;
  photos: PhotosTable;
  photo_captions: PhotoCaptionsTable;
  photo_tags: PhotoTagsTable;
  photo_records: PhotoRecordsTable;
  photo_consents: PhotoConsentsTable;
  photo_downloads: PhotoDownloadsTable;
  persons: PersonsTable;
  person_access: PersonAccessTable;
  stories: StoriesTable;
  story_texts: StoryTextsTable;
  story_links: StoryLinksTable;
  story_consents: StoryConsentsTable;
  story_code_counters: StoryCodeCountersTable;
}
