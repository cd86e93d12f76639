/**
 * What a column's name says about its content, in several languages. Names are split into
 * words (`BillingPostalCode` → billing postal code, `e_mail` → e mail), folded to lower-case
 * ASCII (`prénom` → prenom, `straße` → strasse), and matched against word sequences.
 */

/** Kinds of personal data masque recognises. */
export type PersonalKind =
  | 'email'
  | 'password'
  | 'username'
  | 'nationalId'
  | 'iban'
  | 'card'
  | 'ip'
  | 'birthDate'
  | 'phone'
  | 'firstName'
  | 'lastName'
  | 'middleName'
  | 'fullName'
  | 'address2'
  | 'address'
  | 'postalCode'
  | 'city'
  | 'state'
  | 'country'
  | 'company'
  | 'name'
  | 'photo'
  | 'salary'
  | 'jobTitle'
  | 'courtesy'
  | 'extension';

/**
 * Kinds that are personal only beside a person or an address (a `city` table's `city`
 * column is a list of places; a customer's `city` is where they live).
 */
export const CONTEXTUAL_KINDS: ReadonlySet<PersonalKind> = new Set([
  'postalCode',
  'city',
  'state',
  'country',
  'company',
  'name',
  'photo',
  'jobTitle',
  'courtesy',
  'extension',
]);

/** Contextual kinds that count only among people: a film's `title`, a category's `picture`. */
export const PEOPLE_ONLY_KINDS: ReadonlySet<PersonalKind> = new Set([
  'name',
  'photo',
  'jobTitle',
  'courtesy',
  'extension',
]);

/** Kinds that make a table a table of people; `address` makes one of addresses. */
export const PERSON_KINDS: ReadonlySet<PersonalKind> = new Set([
  'email',
  'username',
  'nationalId',
  'birthDate',
  'phone',
  'firstName',
  'lastName',
  'middleName',
  'fullName',
]);

/** Words per kind, most specific kinds first: the first kind that matches wins. */
const WORDS: [PersonalKind, string[]][] = [
  ['email', ['email', 'e mail', 'mail', 'courriel', 'correo', 'epost', 'emailaddress']],
  [
    'password',
    [
      'password',
      'passwd',
      'pwd',
      'passwort',
      'kennwort',
      'contrasena',
      'mot de passe',
      'motdepasse',
      'senha',
      'password hash',
    ],
  ],
  ['username', ['username', 'user name', 'login', 'benutzername', 'nickname', 'screen name']],
  [
    'nationalId',
    [
      'ssn',
      'social security',
      'national id',
      'nationalid',
      'nir',
      'nin',
      'personnummer',
      'dni',
      'nif',
      'nie',
      'cpf',
      'curp',
      'codice fiscale',
      'steuer id',
      'tax id',
      'taxid',
      'tin',
      'passport',
      'passport number',
      'id card',
      'driver license',
      'drivers license',
    ],
  ],
  ['iban', ['iban', 'account number', 'bank account', 'kontonummer', 'numero de compte']],
  [
    'card',
    [
      'credit card',
      'creditcard',
      'card number',
      'cardnumber',
      'cc number',
      'ccnum',
      'card no',
      'kreditkarte',
      'carte bancaire',
      'tarjeta',
    ],
  ],
  ['ip', ['ip', 'ip address', 'ipaddress', 'ipv4', 'ipv6', 'ip addr', 'remote addr', 'client ip']],
  [
    'birthDate',
    [
      'dob',
      'birth',
      'birthday',
      'birthdate',
      'born',
      'geburt',
      'geburtsdatum',
      'geburtstag',
      'naissance',
      'nacimiento',
      'nascimento',
    ],
  ],
  [
    'courtesy',
    ['title of courtesy', 'courtesy title', 'salutation', 'honorific', 'anrede', 'civilite', 'tratamiento', 'saludo'],
  ],
  ['extension', ['extension', 'ext', 'phone ext', 'durchwahl', 'nebenstelle', 'interno']],
  [
    'phone',
    [
      'phone',
      'telephone',
      'tel',
      'telefon',
      'telefono',
      'mobile',
      'mobil',
      'cell',
      'cellphone',
      'handy',
      'fax',
      'movil',
      'celular',
      'portable',
      'phonenumber',
    ],
  ],
  [
    'firstName',
    ['first name', 'firstname', 'given name', 'givenname', 'forename', 'fname', 'prenom', 'vorname', 'primeiro nome'],
  ],
  ['middleName', ['middle name', 'middlename']],
  [
    'lastName',
    [
      'last name',
      'lastname',
      'surname',
      'family name',
      'familyname',
      'lname',
      'nom',
      'nachname',
      'familienname',
      'apellido',
      'apellidos',
      'sobrenome',
      'cognome',
    ],
  ],
  [
    'fullName',
    [
      'full name',
      'fullname',
      'display name',
      'contact name',
      'contact person',
      'person name',
      'customer name',
      'ansprechpartner',
      'kontaktperson',
      'nom complet',
      'nombre completo',
    ],
  ],
  ['address2', ['address2', 'address 2', 'address line 2', 'addressline2', 'street2']],
  [
    'address',
    [
      'address',
      'street',
      'street address',
      'adresse',
      'direccion',
      'strasse',
      'anschrift',
      'calle',
      'rue',
      'indirizzo',
      'endereco',
      'address line',
      'addressline',
    ],
  ],
  [
    'postalCode',
    [
      'zip',
      'zipcode',
      'postal',
      'postcode',
      'postal code',
      'plz',
      'postleitzahl',
      'code postal',
      'codigo postal',
      'cep',
    ],
  ],
  ['city', ['city', 'town', 'ville', 'ciudad', 'stadt', 'ort', 'citta', 'cidade', 'locality']],
  ['state', ['state', 'province', 'region', 'district', 'county', 'bundesland', 'provincia', 'estado']],
  ['country', ['country', 'pays', 'pais', 'land', 'nationality']],
  ['company', ['company', 'employer', 'firma', 'empresa', 'societe', 'entreprise', 'organisation', 'organization']],
  ['photo', ['photo', 'picture', 'avatar', 'foto', 'bild', 'portrait', 'selfie', 'signature', 'headshot']],
  ['salary', ['salary', 'wage', 'income', 'gehalt', 'salaire', 'salario']],
  [
    'jobTitle',
    [
      'title',
      'job title',
      'jobtitle',
      'job',
      'position',
      'occupation',
      'profession',
      'designation',
      'beruf',
      'berufsbezeichnung',
      'stelle',
      'titel',
      'titre',
      'poste',
      'fonction',
      'puesto',
      'cargo',
      'ocupacion',
      'mansione',
      'qualifica',
    ],
  ],
  // A bare `name` (`nombre`: a person's, or a department's) names a person only among people.
  ['name', ['name', 'nombre', 'nome']],
];

const PATTERNS: [PersonalKind, string[][]][] = WORDS.map(([kind, phrases]) => [kind, phrases.map((p) => p.split(' '))]);

/** `BillingPostalCode`, `e_mail`, `prénom2` → words, lower-case ASCII; digits are words of their own. */
export function nameWords(name: string): string[] {
  return name
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True for surrogate keys and references (`id`, `customer_id`, `AlbumId`): never personal by name. */
export function isIdName(name: string): boolean {
  const words = nameWords(name);
  return words.at(-1) === 'id' || words.at(-1) === 'key' || words.at(-1) === 'fk';
}

/** The kind a column's name suggests, if any. */
export function kindByName(name: string): PersonalKind | undefined {
  if (isIdName(name)) return undefined;
  const words = nameWords(name);
  const joined = words.join('');
  for (const [kind, phrases] of PATTERNS) {
    if (phrases.some((phrase) => containsPhrase(words, phrase) || phrase.join('') === joined)) return kind;
  }
  return undefined;
}

function containsPhrase(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Words that mark a date column as bookkeeping (`last_update`, `modified_at`), not about a person. */
export function isBookkeepingName(name: string): boolean {
  return nameWords(name).some((w) =>
    ['update', 'updated', 'modified', 'changed', 'deleted', 'synced', 'version', 'etag'].includes(w),
  );
}
