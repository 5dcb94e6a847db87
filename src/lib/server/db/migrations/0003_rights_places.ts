import type { Kysely } from 'kysely';
import { v7 } from 'uuid';

/**
 * The rights taxonomy and the places gazetteer (issue 3). The default taxonomy of the brief is seeded here, so that
 * every deployment starts with it; admins edit it through the API afterwards. The seed is part of the schema's
 * history, not a user's act, so it has no audit entry (like the audit chain's own genesis row).
 *
 * Merged migrations are never edited: this file is frozen once merged, its seed included.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rights')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('rights.id'))
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_hy', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    // JSON array of strings, as text.
    .addColumn('instruments', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema.createIndex('rights_parent_idx').on('rights').column('parent_id').execute();

  await db.schema
    .createTable('places')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('preferred_name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('places.id'))
    // GeoJSON (RFC 7946) geometry as text, or null.
    .addColumn('geometry', 'text')
    .addColumn('centroid_lat', 'double precision')
    .addColumn('centroid_lon', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('places_parent_idx').on('places').column('parent_id').execute();
  await db.schema.createIndex('places_type_idx').on('places').column('type').execute();

  // Every name of a place, the preferred one included (kind 'preferred'), each with its folded search key.
  await db.schema
    .createTable('place_names')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lang', 'text')
    .addColumn('kind', 'text')
    .addColumn('search_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('place_names_place_idx').on('place_names').column('place_id').execute();
  await db.schema.createIndex('place_names_key_idx').on('place_names').column('search_key').execute();

  const at = new Date().toISOString();
  let order = 0;
  for (const category of DEFAULT_TAXONOMY) {
    const categoryId = v7();
    order += 10;
    await db
      .insertInto('rights' as never)
      .values(row(categoryId, null, 'category', category, order, at) as never)
      .execute();
    let rightOrder = 0;
    for (const right of category.rights) {
      rightOrder += 10;
      await db
        .insertInto('rights' as never)
        .values(row(v7(), categoryId, 'right', right, rightOrder, at) as never)
        .execute();
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['place_names', 'places', 'rights']) await db.schema.dropTable(t).ifExists().execute();
}

interface SeedNode {
  code: string;
  en: string;
  fr: string;
  hy: string;
  ru: string;
  instruments: string[];
}

function row(id: string, parentId: string | null, kind: string, n: SeedNode, sortOrder: number, at: string) {
  return {
    id,
    code: n.code,
    kind,
    parent_id: parentId,
    name_en: n.en,
    name_fr: n.fr,
    name_hy: n.hy,
    name_ru: n.ru,
    instruments: JSON.stringify(n.instruments),
    sort_order: sortOrder,
    created_at: at,
    updated_at: at,
    retired_at: null,
  };
}

/**
 * The default taxonomy of DOMAIN.md §3: the categories and rights of the ombudsman's 100-day edition. Instrument
 * references: UDHR, ICCPR, ICESCR, CRC, CEDAW, CRPD, the African Charter (ACHPR, whose articles 22-24 name the
 * peoples' rights to development, peace and a satisfactory environment) and UN General Assembly declarations.
 */
const DEFAULT_TAXONOMY: (SeedNode & { rights: SeedNode[] })[] = [
  {
    code: 'IND',
    en: 'Individual rights',
    fr: 'Droits individuels',
    hy: 'Անհատական իրավունքներ',
    ru: 'Индивидуальные права',
    instruments: ['UDHR', 'ICCPR', 'ICESCR'],
    rights: [
      {
        code: 'IND-LIFE',
        en: 'Right to life',
        fr: 'Droit à la vie',
        hy: 'Կյանքի իրավունք',
        ru: 'Право на жизнь',
        instruments: ['UDHR art. 3', 'ICCPR art. 6'],
      },
      {
        code: 'IND-HEALTH',
        en: 'Right to health',
        fr: 'Droit à la santé',
        hy: 'Առողջության իրավունք',
        ru: 'Право на здоровье',
        instruments: ['UDHR art. 25', 'ICESCR art. 12'],
      },
      {
        code: 'IND-FOOD',
        en: 'Right to adequate food',
        fr: 'Droit à une alimentation suffisante',
        hy: 'Բավարար սննդի իրավունք',
        ru: 'Право на достаточное питание',
        instruments: ['UDHR art. 25', 'ICESCR art. 11'],
      },
      {
        code: 'IND-MOVEMENT',
        en: 'Freedom of movement',
        fr: 'Liberté de circulation',
        hy: 'Տեղաշարժվելու ազատություն',
        ru: 'Свобода передвижения',
        instruments: ['UDHR art. 13', 'ICCPR art. 12'],
      },
      {
        code: 'IND-EDUCATION',
        en: 'Right to education',
        fr: "Droit à l'éducation",
        hy: 'Կրթության իրավունք',
        ru: 'Право на образование',
        instruments: ['UDHR art. 26', 'ICESCR art. 13', 'CRC art. 28'],
      },
      {
        code: 'IND-WORK',
        en: 'Right to work',
        fr: 'Droit au travail',
        hy: 'Աշխատանքի իրավունք',
        ru: 'Право на труд',
        instruments: ['UDHR art. 23', 'ICESCR art. 6'],
      },
      {
        code: 'IND-PROPERTY',
        en: 'Right to property',
        fr: 'Droit de propriété',
        hy: 'Սեփականության իրավունք',
        ru: 'Право собственности',
        instruments: ['UDHR art. 17', 'ECHR Protocol No. 1 art. 1'],
      },
    ],
  },
  {
    code: 'VUL',
    en: 'Rights of vulnerable groups',
    fr: 'Droits des groupes vulnérables',
    hy: 'Խոցելի խմբերի իրավունքներ',
    ru: 'Права уязвимых групп',
    instruments: ['CRC', 'CEDAW', 'CRPD'],
    rights: [
      {
        code: 'VUL-CHILDREN',
        en: 'Rights of the child',
        fr: "Droits de l'enfant",
        hy: 'Երեխայի իրավունքներ',
        ru: 'Права ребёнка',
        instruments: ['CRC art. 6', 'CRC art. 24', 'CRC art. 38', 'ICCPR art. 24'],
      },
      {
        code: 'VUL-WOMEN',
        en: 'Rights of women',
        fr: 'Droits des femmes',
        hy: 'Կանանց իրավունքներ',
        ru: 'Права женщин',
        instruments: ['CEDAW art. 2', 'CEDAW art. 12', 'ICCPR art. 3', 'UNSC res. 1325 (2000)'],
      },
      {
        code: 'VUL-OLDER',
        en: 'Rights of older persons',
        fr: 'Droits des personnes âgées',
        hy: 'Տարեց անձանց իրավունքներ',
        ru: 'Права пожилых людей',
        instruments: [
          'UDHR art. 25',
          'ICESCR art. 9',
          'CESCR General Comment No. 6',
          'UN Principles for Older Persons (UNGA res. 46/91)',
        ],
      },
      {
        code: 'VUL-DISABILITY',
        en: 'Rights of persons with disabilities',
        fr: 'Droits des personnes handicapées',
        hy: 'Հաշմանդամություն ունեցող անձանց իրավունքներ',
        ru: 'Права лиц с инвалидностью',
        instruments: ['CRPD art. 10', 'CRPD art. 11', 'CRPD art. 20'],
      },
      {
        code: 'VUL-DISPLACED',
        en: 'Rights of displaced persons and of people unable to return home',
        fr: 'Droits des personnes déplacées et des personnes empêchées de rentrer chez elles',
        hy: 'Տեղահանված անձանց և տուն վերադառնալու հնարավորությունից զրկվածների իրավունքներ',
        ru: 'Права перемещённых лиц и людей, лишённых возможности вернуться домой',
        instruments: ['UDHR art. 13', 'ICCPR art. 12', 'Guiding Principles on Internal Displacement, principle 28'],
      },
    ],
  },
  {
    code: 'COL',
    en: 'Collective rights',
    fr: 'Droits collectifs',
    hy: 'Կոլեկտիվ իրավունքներ',
    ru: 'Коллективные права',
    instruments: ['ICCPR art. 1', 'ICESCR art. 1', 'ACHPR arts. 19-24'],
    rights: [
      {
        code: 'COL-SELFDET',
        en: 'Right to self-determination',
        fr: "Droit des peuples à disposer d'eux-mêmes",
        hy: 'Ինքնորոշման իրավունք',
        ru: 'Право на самоопределение',
        instruments: ['UN Charter art. 1(2)', 'ICCPR art. 1', 'ICESCR art. 1'],
      },
      {
        code: 'COL-DEVELOPMENT',
        en: 'Right to development',
        fr: 'Droit au développement',
        hy: 'Զարգացման իրավունք',
        ru: 'Право на развитие',
        instruments: ['UNGA res. 41/128 (Declaration on the Right to Development)', 'ACHPR art. 22'],
      },
      {
        code: 'COL-ENVIRONMENT',
        en: 'Right to a healthy environment',
        fr: 'Droit à un environnement sain',
        hy: 'Առողջ շրջակա միջավայրի իրավունք',
        ru: 'Право на здоровую окружающую среду',
        instruments: ['UNGA res. 76/300', 'ACHPR art. 24', 'ICESCR art. 12(2)(b)'],
      },
      {
        code: 'COL-PEACE',
        en: 'Right to peace and security',
        fr: 'Droit à la paix et à la sécurité',
        hy: 'Խաղաղության և անվտանգության իրավունք',
        ru: 'Право на мир и безопасность',
        instruments: [
          'UNGA res. 39/11 (Declaration on the Right of Peoples to Peace)',
          'UNGA res. 71/189 (Declaration on the Right to Peace)',
          'ACHPR art. 23',
        ],
      },
    ],
  },
];
