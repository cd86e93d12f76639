/**
 * Two schemas in the style of real applications, for the scan corpus (issue 19): a CRM with
 * German column names (customers, suppliers, products, orders with a denormalised copy of the
 * customer's company and notes that name people) and an HR system with French and Spanish ones
 * (employees, departments, contracts, reviews whose comments name employees, a training
 * catalogue). Portable DDL for PostgreSQL, MariaDB and SQLite; rows drawn by a seeded faker, so
 * every run holds the same data. Labels: every column personal (p), quasi-identifier (q) or not (n).
 */
import { newFaker } from '../../packages/core/src/transformers/faker-locales.ts';
import type { ScratchDb } from '../support/scratch-db.ts';

type Faker = ReturnType<typeof newFaker>;

/** A faker of `locale` whose draws depend on `seed` only. */
function seeded(locale: string, seed: number): Faker {
  const f = newFaker(locale, {});
  f.seed(seed);
  return f;
}

export interface Application {
  name: string;
  ddl: string;
  /** Rows per table, in load order: `[table, columns, rows]`. */
  rows(): [string, string[], unknown[][]][];
  /** `table.column` → p | q | n, for every column. */
  labels: Record<string, 'p' | 'q' | 'n'>;
}

export const CRM_DDL = `
CREATE TABLE kunden (
  kunde_id INTEGER PRIMARY KEY, anrede VARCHAR(10), vorname VARCHAR(40) NOT NULL, nachname VARCHAR(40) NOT NULL,
  firma VARCHAR(80) NOT NULL, email VARCHAR(80), telefon VARCHAR(30), durchwahl VARCHAR(6), position VARCHAR(60),
  strasse VARCHAR(80), plz VARCHAR(10), ort VARCHAR(60), land VARCHAR(40), geburtsdatum DATE, kunde_seit DATE,
  umsatz DECIMAL(12,2)
);
CREATE TABLE lieferanten (
  lieferant_id INTEGER PRIMARY KEY, firma VARCHAR(80) NOT NULL, ansprechpartner VARCHAR(80), telefon VARCHAR(30),
  strasse VARCHAR(80), ort VARCHAR(60), homepage VARCHAR(120)
);
CREATE TABLE produkte (
  produkt_id INTEGER PRIMARY KEY, bezeichnung VARCHAR(80) NOT NULL, beschreibung TEXT, bild VARCHAR(120),
  preis DECIMAL(10,2), lieferant_id INTEGER REFERENCES lieferanten (lieferant_id)
);
CREATE TABLE auftraege (
  auftrag_id INTEGER PRIMARY KEY, kunde_id INTEGER NOT NULL REFERENCES kunden (kunde_id), bestelldatum DATE,
  lieferdatum DATE, liefer_name VARCHAR(80), notiz TEXT, betrag DECIMAL(12,2)
);
CREATE TABLE auftragszeilen (
  zeile_id INTEGER PRIMARY KEY, auftrag_id INTEGER NOT NULL REFERENCES auftraege (auftrag_id),
  produkt_id INTEGER NOT NULL REFERENCES produkte (produkt_id), menge INTEGER NOT NULL, einzelpreis DECIMAL(10,2)
)`;

export const HR_DDL = `
CREATE TABLE departamentos (
  departamento_id INTEGER PRIMARY KEY, nombre VARCHAR(60) NOT NULL, presupuesto DECIMAL(14,2), ciudad VARCHAR(60)
);
CREATE TABLE employes (
  employe_id INTEGER PRIMARY KEY, civilite VARCHAR(10), prenom VARCHAR(40) NOT NULL, nom VARCHAR(40) NOT NULL,
  courriel VARCHAR(80), telephone VARCHAR(30), poste VARCHAR(60), date_naissance DATE, numero_secu VARCHAR(21),
  salaire DECIMAL(10,2), date_embauche DATE, departamento_id INTEGER REFERENCES departamentos (departamento_id)
);
CREATE TABLE contratos (
  contrato_id INTEGER PRIMARY KEY, employe_id INTEGER NOT NULL REFERENCES employes (employe_id),
  tipo VARCHAR(20), fecha_inicio DATE, fecha_fin DATE, sueldo_bruto DECIMAL(10,2)
);
CREATE TABLE evaluaciones (
  evaluacion_id INTEGER PRIMARY KEY, employe_id INTEGER NOT NULL REFERENCES employes (employe_id),
  fecha DATE, puntuacion INTEGER, comentario TEXT
);
CREATE TABLE formations (
  formation_id INTEGER PRIMARY KEY, titre VARCHAR(80) NOT NULL, description TEXT, duree_heures INTEGER
)`;

const day = (f: Faker, from: string, to: string) => f.date.between({ from, to }).toISOString().slice(0, 10);

function crmRows(): [string, string[], unknown[][]][] {
  const f = seeded('de', 19);
  const kunden = Array.from({ length: 80 }, (_, i) => {
    const [vorname, nachname] = [f.person.firstName(), f.person.lastName()];
    return [
      i + 1,
      f.helpers.arrayElement(['Herr', 'Frau']),
      vorname,
      nachname,
      `${f.company.name()} ${i + 1}`,
      f.internet.email({ firstName: vorname, lastName: nachname }),
      f.phone.number(),
      String(f.number.int({ min: 10, max: 999 })),
      f.person.jobTitle(),
      f.location.streetAddress(),
      f.location.zipCode(),
      f.location.city(),
      'Deutschland',
      day(f, '1950-01-01', '2000-12-31'),
      day(f, '2015-01-01', '2024-12-31'),
      f.number.float({ min: 100, max: 90000, fractionDigits: 2 }),
    ];
  });
  const lieferanten = Array.from({ length: 8 }, (_, i) => [
    i + 1,
    `${f.company.name()} Lieferant ${i + 1}`,
    f.person.fullName(),
    f.phone.number(),
    f.location.streetAddress(),
    f.location.city(),
    `https://www.lieferant${i + 1}.example.de`,
  ]);
  const produkte = Array.from({ length: 20 }, (_, i) => [
    i + 1,
    f.commerce.productName(),
    `${f.commerce.productDescription()} ${f.lorem.sentence(8)}`,
    `bilder/produkt-${i + 1}.png`,
    f.number.float({ min: 1, max: 500, fractionDigits: 2 }),
    (i % 8) + 1,
  ]);
  const auftraege = Array.from({ length: 200 }, (_, i) => {
    const kunde = kunden[f.number.int({ min: 0, max: 79 })]!;
    const bestellt = day(f, '2023-01-01', '2024-12-31');
    // Most orders ship to the customer's company; some to another name.
    const liefer = i % 10 === 9 ? `${f.company.name()} Filiale` : kunde[4];
    const notiz =
      i % 3 === 0
        ? `Rückruf von ${kunde[2]} ${kunde[3]} wegen der Lieferung, bitte vor Freitag klären.`
        : `Lieferung wie besprochen, ${f.lorem.sentence(6)}`;
    return [
      i + 1,
      kunde[0],
      bestellt,
      bestellt,
      liefer,
      notiz,
      f.number.float({ min: 10, max: 5000, fractionDigits: 2 }),
    ];
  });
  const zeilen = Array.from({ length: 300 }, (_, i) => [
    i + 1,
    (i % 200) + 1,
    (i % 20) + 1,
    f.number.int({ min: 1, max: 12 }),
    f.number.float({ min: 1, max: 500, fractionDigits: 2 }),
  ]);
  return [
    ['kunden', COLUMNS.kunden!, kunden],
    ['lieferanten', COLUMNS.lieferanten!, lieferanten],
    ['produkte', COLUMNS.produkte!, produkte],
    ['auftraege', COLUMNS.auftraege!, auftraege],
    ['auftragszeilen', COLUMNS.auftragszeilen!, zeilen],
  ];
}

function hrRows(): [string, string[], unknown[][]][] {
  const f = seeded('fr', 1919);
  const e = seeded('es', 1919);
  const departamentos = Array.from({ length: 8 }, (_, i) => [
    i + 1,
    `${e.commerce.department()} ${i + 1}`,
    e.number.float({ min: 1e5, max: 5e6, fractionDigits: 2 }),
    e.location.city(),
  ]);
  const employes = Array.from({ length: 60 }, (_, i) => {
    const [prenom, nom] = [f.person.firstName(), f.person.lastName()];
    return [
      i + 1,
      f.helpers.arrayElement(['M.', 'Mme', 'Mlle']),
      prenom,
      nom,
      f.internet.email({ firstName: prenom, lastName: nom }),
      f.phone.number(),
      f.person.jobTitle(),
      day(f, '1960-01-01', '2002-12-31'),
      f.string.numeric(15),
      f.number.float({ min: 1800, max: 9000, fractionDigits: 2 }),
      day(f, '2010-01-01', '2024-06-30'),
      (i % 8) + 1,
    ];
  });
  const contratos = Array.from({ length: 80 }, (_, i) => [
    i + 1,
    (i % 60) + 1,
    e.helpers.arrayElement(['indefinido', 'temporal', 'prácticas']),
    day(e, '2010-01-01', '2022-12-31'),
    day(e, '2023-01-01', '2026-12-31'),
    e.number.float({ min: 20000, max: 120000, fractionDigits: 2 }),
  ]);
  const evaluaciones = Array.from({ length: 120 }, (_, i) => {
    const empleado = employes[i % 60]!;
    const comentario =
      i % 4 === 0
        ? `Entretien avec ${empleado[2]} ${empleado[3]} : objectifs atteints, à revoir en juin avec son responsable.`
        : `Objectifs atteints pour l'année, ${f.lorem.sentence(7)}`;
    return [i + 1, empleado[0], day(e, '2022-01-01', '2024-12-31'), e.number.int({ min: 1, max: 5 }), comentario];
  });
  const formations = Array.from({ length: 12 }, (_, i) => [
    i + 1,
    `${f.company.buzzPhrase()} ${i + 1}`,
    `${f.lorem.paragraph(3)}`,
    f.number.int({ min: 4, max: 40 }),
  ]);
  return [
    ['departamentos', COLUMNS.departamentos!, departamentos],
    ['employes', COLUMNS.employes!, employes],
    ['contratos', COLUMNS.contratos!, contratos],
    ['evaluaciones', COLUMNS.evaluaciones!, evaluaciones],
    ['formations', COLUMNS.formations!, formations],
  ];
}

/** Every table's columns, in DDL order, each with its label. */
const LABELLED: Record<string, [string, 'p' | 'q' | 'n'][]> = {
  kunden: [
    ['kunde_id', 'n'],
    ['anrede', 'p'],
    ['vorname', 'p'],
    ['nachname', 'p'],
    ['firma', 'p'],
    ['email', 'p'],
    ['telefon', 'p'],
    ['durchwahl', 'p'],
    ['position', 'p'],
    ['strasse', 'p'],
    ['plz', 'p'],
    ['ort', 'p'],
    ['land', 'q'],
    ['geburtsdatum', 'p'],
    ['kunde_seit', 'q'],
    ['umsatz', 'q'],
  ],
  lieferanten: [
    ['lieferant_id', 'n'],
    ['firma', 'n'],
    ['ansprechpartner', 'p'],
    ['telefon', 'p'],
    ['strasse', 'n'],
    ['ort', 'n'],
    ['homepage', 'n'],
  ],
  produkte: [
    ['produkt_id', 'n'],
    ['bezeichnung', 'n'],
    ['beschreibung', 'n'],
    ['bild', 'n'],
    ['preis', 'n'],
    ['lieferant_id', 'n'],
  ],
  auftraege: [
    ['auftrag_id', 'n'],
    ['kunde_id', 'n'],
    ['bestelldatum', 'q'],
    ['lieferdatum', 'q'],
    ['liefer_name', 'p'],
    ['notiz', 'p'],
    ['betrag', 'q'],
  ],
  auftragszeilen: [
    ['zeile_id', 'n'],
    ['auftrag_id', 'n'],
    ['produkt_id', 'n'],
    ['menge', 'n'],
    ['einzelpreis', 'n'],
  ],
  departamentos: [
    ['departamento_id', 'n'],
    ['nombre', 'n'],
    ['presupuesto', 'n'],
    ['ciudad', 'n'],
  ],
  employes: [
    ['employe_id', 'n'],
    ['civilite', 'p'],
    ['prenom', 'p'],
    ['nom', 'p'],
    ['courriel', 'p'],
    ['telephone', 'p'],
    ['poste', 'p'],
    ['date_naissance', 'p'],
    ['numero_secu', 'p'],
    ['salaire', 'p'],
    ['date_embauche', 'q'],
    ['departamento_id', 'n'],
  ],
  contratos: [
    ['contrato_id', 'n'],
    ['employe_id', 'n'],
    ['tipo', 'n'],
    ['fecha_inicio', 'q'],
    ['fecha_fin', 'q'],
    ['sueldo_bruto', 'p'],
  ],
  evaluaciones: [
    ['evaluacion_id', 'n'],
    ['employe_id', 'n'],
    ['fecha', 'q'],
    ['puntuacion', 'q'],
    ['comentario', 'p'],
  ],
  formations: [
    ['formation_id', 'n'],
    ['titre', 'n'],
    ['description', 'n'],
    ['duree_heures', 'n'],
  ],
};

const COLUMNS: Record<string, string[]> = Object.fromEntries(
  Object.entries(LABELLED).map(([t, cs]) => [t, cs.map(([c]) => c)]),
);
const labelsOf = (tables: string[]) =>
  Object.fromEntries(tables.flatMap((t) => LABELLED[t]!.map(([c, l]) => [`${t}.${c}`, l] as const)));

export const crm: Application = {
  name: 'CRM (German)',
  ddl: CRM_DDL,
  rows: crmRows,
  labels: labelsOf(['kunden', 'lieferanten', 'produkte', 'auftraege', 'auftragszeilen']),
};

export const hr: Application = {
  name: 'HR (French, Spanish)',
  ddl: HR_DDL,
  rows: hrRows,
  labels: labelsOf(['departamentos', 'employes', 'contratos', 'evaluaciones', 'formations']),
};

/** Loads an application's rows into a scratch database, one multi-row INSERT per table. */
export async function loadApplication(db: ScratchDb, app: Application): Promise<void> {
  for (const [table, columns, rows] of app.rows()) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    await db.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
      rows.flat(),
    );
  }
}
