import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_totp_counter.js';
import * as m0003 from './0003_rights_places.js';
import * as m0004 from './0004_records.js';
import * as m0005 from './0005_sources_inquiries.js';
import * as m0006 from './0006_groups.js';
import * as m0007 from './0007_search.js';
import * as m0008 from './0008_import.js';
import * as m0009 from './0009_place_search_keys.js';
import * as m0010 from './0010_search_bulk.js';
import * as m0011 from './0011_crisis.js';
import * as m0012 from './0012_reports.js';
import * as m0013 from './0013_jobs.js';
import * as m0014 from './0014_evidence.js';
import * as m0015 from './0015_photos.js';
import * as m0016 from './0016_people_stories.js';
import * as m0017 from './0017_disruption_places.js';
import * as m0019 from './0019_photo_consent_people.js';
import * as m0020 from './0020_search_days.js';
import * as m0021 from './0021_search_terms.js';
import * as m0022 from './0022_search_backlog.js';

/** Static list so that migrations survive bundling. Names sort in order of application. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_totp_counter': m0002,
  '0003_rights_places': m0003,
  '0004_records': m0004,
  '0005_sources_inquiries': m0005,
  '0006_groups': m0006,
  '0007_search': m0007,
  '0008_import': m0008,
  '0009_place_search_keys': m0009,
  '0010_search_bulk': m0010,
  '0011_crisis': m0011,
  '0012_reports': m0012,
  '0013_jobs': m0013,
  '0014_evidence': m0014,
  '0015_photos': m0015,
  '0016_people_stories': m0016,
  '0017_disruption_places': m0017,
  '0019_photo_consent_people': m0019,
  '0020_search_days': m0020,
  '0021_search_terms': m0021,
  '0022_search_backlog': m0022,
};
