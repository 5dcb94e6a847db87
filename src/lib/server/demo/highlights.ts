import type { Highlight } from '../portal/index.js';

/**
 * Demo content drawn from the seed documents. Every sentence is our own wording of a claim that a named document
 * makes, and says so; the documents' political characterisations are left out on purpose.
 */
const OMBUDSMAN_100_DAYS = {
  kind: 'report',
  title: 'Report on the violations of individual and collective human rights as a result of the blockade (100 days)',
  publisher: 'Human Rights Defender (Ombudsman) of the Republic of Artsakh',
  place: null,
  date: '2023-03-21',
  citation:
    'Human Rights Defender (Ombudsman) of the Republic of Artsakh, report on 100 days of blockade, as of 2023-03-21',
} as const satisfies Highlight['source'];

const ARMARAS_2023_01_16 = {
  kind: 'press-release',
  title: 'Blockade of the Latchin corridor: ARMARAS collective mobilizes to inform the general public',
  publisher: 'ARMARAS collective',
  place: 'Paris',
  date: '2023-01-16',
  citation: 'ARMARAS collective press release, Paris, 2023-01-16',
} as const satisfies Highlight['source'];

const ARMARAS_2023_01_30 = {
  kind: 'press-release',
  title: 'Urgent humanitarian situation following the blockade of Artsakh (Nagorno-Karabakh)',
  publisher: 'ARMARAS collective',
  place: 'Paris',
  date: '2023-01-30',
  citation: 'ARMARAS collective press release, Paris, 2023-01-30',
} as const satisfies Highlight['source'];

const DAYS = { en: 'days', fr: 'jours', hy: 'օր', ru: 'дней' };

export const DEMO_HIGHLIGHTS: Highlight[] = [
  {
    id: 'road-blocked',
    text: {
      en: "According to the Ombudsman's 100-day report, the Goris–Stepanakert highway through the Lachin (Berdzor) corridor, the only road between the region and Armenia, has been blocked since 12 December 2022, from about 10:30 (GMT+4).",
      fr: "Selon le rapport de l'Ombudsman sur les 100 jours, l'axe Goris–Stepanakert qui traverse le corridor de Latchine (Berdzor), seule route entre la région et l'Arménie, est bloqué depuis le 12 décembre 2022, vers 10 h 30 (GMT+4).",
      hy: 'Մարդու իրավունքների պաշտպանի 100 օրվա զեկույցի համաձայն՝ Լաչինի (Բերձորի) միջանցքով անցնող Գորիս–Ստեփանակերտ մայրուղին՝ տարածաշրջանը Հայաստանին կապող միակ ճանապարհը, փակ է 2022 թ. դեկտեմբերի 12-ից՝ մոտավորապես ժամը 10:30-ից (GMT+4)։',
      ru: 'Согласно докладу омбудсмена о 100 днях блокады, трасса Горис — Степанакерт через Лачинский (Бердзорский) коридор, единственная дорога между регионом и Арменией, перекрыта с 12 декабря 2022 года, примерно с 10:30 (GMT+4).',
    },
    figure: null,
    asOf: '2023-03-21',
    source: OMBUDSMAN_100_DAYS,
  },
  {
    id: 'population',
    text: {
      en: 'According to the same report, the blockade cut the whole population off from the outside world: 120,000 people, 30,000 of them children.',
      fr: 'Selon le même rapport, le blocus a coupé du monde extérieur toute la population : 120 000 personnes, dont 30 000 enfants.',
      hy: 'Նույն զեկույցի համաձայն՝ շրջափակումը արտաքին աշխարհից կտրել է ողջ բնակչությանը՝ 120 000 մարդու, որոնցից 30 000-ը երեխաներ են։',
      ru: 'Согласно тому же докладу, блокада отрезала от внешнего мира всё население — 120 000 человек, из них 30 000 детей.',
    },
    figure: { value: 120_000, qualifier: 'exact', label: { en: 'people', fr: 'personnes', hy: 'մարդ', ru: 'человек' } },
    asOf: '2023-03-21',
    source: OMBUDSMAN_100_DAYS,
  },
  {
    id: 'day-100',
    text: {
      en: 'According to the report, on 21 March 2023 the road had been closed for 100 days in a row.',
      fr: 'Selon le rapport, au 21 mars 2023, la route était fermée depuis 100 jours d’affilée.',
      hy: 'Զեկույցի համաձայն՝ 2023 թ. մարտի 21-ի դրությամբ ճանապարհը փակ էր արդեն 100 օր անընդմեջ։',
      ru: 'Согласно докладу, на 21 марта 2023 года дорога была закрыта уже 100 дней подряд.',
    },
    figure: { value: 100, qualifier: 'exact', label: DAYS },
    asOf: '2023-03-21',
    source: OMBUDSMAN_100_DAYS,
  },
  {
    id: 'utilities',
    text: {
      en: 'According to the report, the supply of natural gas and electricity, internet access and mobile networks were disrupted again and again while the road was closed.',
      fr: 'Selon le rapport, l’approvisionnement en gaz naturel et en électricité, l’accès à internet et les réseaux mobiles ont été perturbés à maintes reprises pendant la fermeture de la route.',
      hy: 'Զեկույցի համաձայն՝ ճանապարհի փակ լինելու ընթացքում բազմիցս խափանվել են բնական գազի և էլեկտրաէներգիայի մատակարարումը, ինտերնետը և բջջային կապը։',
      ru: 'Согласно докладу, пока дорога была закрыта, подача природного газа и электроэнергии, доступ в интернет и мобильная связь неоднократно прерывались.',
    },
    figure: null,
    asOf: '2023-03-21',
    source: OMBUDSMAN_100_DAYS,
  },
  {
    id: 'cable-and-power-line',
    text: {
      en: 'According to the ARMARAS press release of 16 January 2023, the only fibre-optic cable bringing the internet from Armenia and the only high-voltage power line had been damaged, and local engineers were not allowed to reach them for repairs.',
      fr: 'Selon le communiqué d’ARMARAS du 16 janvier 2023, le seul câble à fibre optique apportant internet depuis l’Arménie et la seule ligne à haute tension avaient été endommagés, et les techniciens locaux n’ont pas été autorisés à les réparer.',
      hy: 'ARMARAS-ի 2023 թ. հունվարի 16-ի մամուլի հաղորդագրության համաձայն՝ վնասվել էին Հայաստանից ինտերնետ հասցնող միակ օպտիկամանրաթելային մալուխը և միակ բարձրավոլտ էլեկտրագիծը, իսկ տեղի ինժեներներին թույլ չէին տվել մոտենալ դրանց՝ վերանորոգելու համար։',
      ru: 'Согласно пресс-релизу ARMARAS от 16 января 2023 года, единственный оптоволоконный кабель, по которому интернет поступал из Армении, и единственная высоковольтная линия электропередачи были повреждены, а местных инженеров не допустили к ним для ремонта.',
    },
    figure: null,
    asOf: '2023-01-16',
    source: ARMARAS_2023_01_16,
  },
  {
    id: 'day-50',
    text: {
      en: 'According to the ARMARAS press release of 30 January 2023, the blockade had reached its 50th day: 120,000 inhabitants were facing sub-zero temperatures short of gas, electricity, food and medicine, and children were missing school because classrooms could not be heated.',
      fr: 'Selon le communiqué d’ARMARAS du 30 janvier 2023, le blocus atteignait son 50e jour : 120 000 habitants affrontaient des températures négatives en manquant de gaz, d’électricité, de nourriture et de médicaments, et des enfants ne pouvaient plus aller à l’école faute de chauffage dans les classes.',
      hy: 'ARMARAS-ի 2023 թ. հունվարի 30-ի մամուլի հաղորդագրության համաձայն՝ շրջափակումը հասել էր 50-րդ օրվան. 120 000 բնակիչ սառնամանիքին դիմակայում էր առանց բավարար գազի, էլեկտրաէներգիայի, սննդի և դեղորայքի, իսկ երեխաները չէին կարողանում դպրոց գնալ, քանի որ դասասենյակները չէին ջեռուցվում։',
      ru: 'Согласно пресс-релизу ARMARAS от 30 января 2023 года, блокада шла уже 50-й день: 120 000 жителей переживали морозы, испытывая нехватку газа, электричества, продовольствия и лекарств, а дети не могли ходить в школу, потому что классы не отапливались.',
    },
    figure: { value: 50, qualifier: 'exact', label: DAYS },
    asOf: '2023-01-30',
    source: ARMARAS_2023_01_30,
  },
  {
    id: 'collective',
    text: {
      en: 'According to its press release of 16 January 2023, ARMARAS is a Paris collective of more than 200 volunteers and communication professionals: a strategic group sets the direction, and working groups handle social networks, the press, digital marketing and an international network (USA, Europe, Canada).',
      fr: 'Selon son communiqué du 16 janvier 2023, ARMARAS est un collectif parisien de plus de 200 bénévoles et professionnels de la communication : un groupe stratégique fixe les orientations, et des groupes de travail s’occupent des réseaux sociaux, de la presse, du marketing numérique et d’un réseau international (États-Unis, Europe, Canada).',
      hy: 'Իր 2023 թ. հունվարի 16-ի մամուլի հաղորդագրության համաձայն՝ ARMARAS-ը փարիզյան կոլեկտիվ է, որը միավորում է ավելի քան 200 կամավորների և հաղորդակցության մասնագետների։ Ռազմավարական խումբը սահմանում է ուղղությունները, իսկ աշխատանքային խմբերը զբաղվում են սոցիալական ցանցերով, մամուլով, թվային մարքեթինգով և միջազգային ցանցով (ԱՄՆ, Եվրոպա, Կանադա)։',
      ru: 'Согласно пресс-релизу коллектива от 16 января 2023 года, ARMARAS — парижский коллектив из более чем 200 волонтёров и специалистов по коммуникациям: стратегическая группа задаёт направления, а рабочие группы ведут социальные сети, работу с прессой, цифровой маркетинг и международную сеть (США, Европа, Канада).',
    },
    figure: {
      value: 200,
      qualifier: 'more-than',
      label: {
        en: 'volunteers and professionals',
        fr: 'bénévoles et professionnels',
        hy: 'կամավոր և մասնագետ',
        ru: 'волонтёров и специалистов',
      },
    },
    asOf: '2023-01-16',
    source: ARMARAS_2023_01_16,
  },
  {
    id: 'collective-offers',
    text: {
      en: 'According to the same press release, the collective offers the media six kinds of help: conferences, mapping, contact with specialists in history, economics and geopolitics, a bank of photos taken on site, press trips, and contact with fixers.',
      fr: 'Selon le même communiqué, le collectif propose aux médias six formes d’aide : des conférences, de la cartographie, la mise en relation avec des spécialistes (histoire, économie, géopolitique), une banque de photos prises sur place, des voyages de presse et la mise en relation avec des fixeurs.',
      hy: 'Նույն հաղորդագրության համաձայն՝ կոլեկտիվը լրատվամիջոցներին առաջարկում է աջակցության վեց ձև՝ համաժողովներ, քարտեզագրում, կապ պատմության, տնտեսագիտության և աշխարհաքաղաքականության մասնագետների հետ, տեղում արված լուսանկարների բանկ, լրագրողական այցեր և կապ ֆիքսերների հետ։',
      ru: 'Согласно тому же пресс-релизу, коллектив предлагает СМИ шесть видов помощи: конференции, картографию, связь со специалистами по истории, экономике и геополитике, банк фотографий, снятых на месте, пресс-туры и связь с фиксерами.',
    },
    figure: {
      value: 6,
      qualifier: 'exact',
      label: { en: 'kinds of help', fr: 'formes d’aide', hy: 'աջակցության ձև', ru: 'видов помощи' },
    },
    asOf: '2023-01-16',
    source: ARMARAS_2023_01_16,
  },
  {
    id: 'report-method',
    text: {
      en: "According to the Ombudsman's office, the report rests on inquiries sent to state bodies, its own studies, interviews and open sources; the names in its human stories were changed, and its pictures come from open sources or are used with the consent of their authors and of the people shown.",
      fr: 'Selon le bureau de l’Ombudsman, le rapport s’appuie sur des demandes adressées aux organes de l’État, ses propres études, des entretiens et des sources ouvertes ; les noms des témoignages ont été changés, et les photos proviennent de sources ouvertes ou sont utilisées avec l’accord de leurs auteurs et des personnes représentées.',
      hy: 'Մարդու իրավունքների պաշտպանի գրասենյակի համաձայն՝ զեկույցը հիմնված է պետական մարմիններին ուղղված հարցումների, սեփական ուսումնասիրությունների, հարցազրույցների և բաց աղբյուրների վրա. մարդկային պատմություններում անունները փոխված են, իսկ լուսանկարները վերցված են բաց աղբյուրներից կամ օգտագործվում են դրանց հեղինակների և պատկերված անձանց համաձայնությամբ։',
      ru: 'По данным аппарата омбудсмена, доклад основан на запросах в государственные органы, собственных исследованиях, интервью и открытых источниках; имена в историях людей изменены, а фотографии взяты из открытых источников или используются с согласия их авторов и изображённых на них людей.',
    },
    figure: null,
    asOf: '2023-03-21',
    source: OMBUDSMAN_100_DAYS,
  },
];
