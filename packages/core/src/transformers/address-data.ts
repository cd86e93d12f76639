/**
 * Real (city, region, region code, postal code) combinations per country, for address groups.
 * faker draws city, state and postal code independently (a German city in `South Carolina`), and
 * its en cities are invented; these are real places with a real postal code of the place, so the
 * four always agree. Each is a large city or a regional capital with a postal code of its centre,
 * in the country's own spelling and format, curated by hand (a small table beats a dependency of
 * megabytes for a value that only has to look right). The US entries were checked against the
 * USPS-derived data of the `zipcodes` package. Region codes are ISO 3166-2 subdivision codes
 * without the country prefix, except in Italy, where an address writes the province's sigla
 * (`MI`), and in Austria, where it writes the state's usual abbreviation (`OÖ`).
 */
export type Place = readonly [city: string, region: string, regionCode: string, postalCode: string];

export interface AddressCountry {
  /** ISO 3166-1 alpha-2. */
  code: string;
  places: readonly Place[];
}

const US: Place[] = [
  ['New York', 'New York', 'NY', '10001'],
  ['Los Angeles', 'California', 'CA', '90012'],
  ['Chicago', 'Illinois', 'IL', '60601'],
  ['Houston', 'Texas', 'TX', '77002'],
  ['Phoenix', 'Arizona', 'AZ', '85004'],
  ['Philadelphia', 'Pennsylvania', 'PA', '19107'],
  ['San Antonio', 'Texas', 'TX', '78205'],
  ['San Diego', 'California', 'CA', '92101'],
  ['Dallas', 'Texas', 'TX', '75201'],
  ['San Jose', 'California', 'CA', '95113'],
  ['Austin', 'Texas', 'TX', '78701'],
  ['Jacksonville', 'Florida', 'FL', '32202'],
  ['Columbus', 'Ohio', 'OH', '43215'],
  ['Charlotte', 'North Carolina', 'NC', '28202'],
  ['Indianapolis', 'Indiana', 'IN', '46204'],
  ['Seattle', 'Washington', 'WA', '98101'],
  ['Denver', 'Colorado', 'CO', '80202'],
  ['Boston', 'Massachusetts', 'MA', '02108'],
  ['Nashville', 'Tennessee', 'TN', '37203'],
  ['Portland', 'Oregon', 'OR', '97204'],
  ['Las Vegas', 'Nevada', 'NV', '89101'],
  ['Detroit', 'Michigan', 'MI', '48226'],
  ['Memphis', 'Tennessee', 'TN', '38103'],
  ['Baltimore', 'Maryland', 'MD', '21202'],
  ['Milwaukee', 'Wisconsin', 'WI', '53202'],
  ['Albuquerque', 'New Mexico', 'NM', '87102'],
  ['Atlanta', 'Georgia', 'GA', '30303'],
  ['Miami', 'Florida', 'FL', '33130'],
  ['Minneapolis', 'Minnesota', 'MN', '55401'],
  ['New Orleans', 'Louisiana', 'LA', '70112'],
  ['Salt Lake City', 'Utah', 'UT', '84111'],
  ['Kansas City', 'Missouri', 'MO', '64106'],
  ['Omaha', 'Nebraska', 'NE', '68102'],
  ['Pittsburgh', 'Pennsylvania', 'PA', '15222'],
  ['Sacramento', 'California', 'CA', '95814'],
  ['Raleigh', 'North Carolina', 'NC', '27601'],
  ['Richmond', 'Virginia', 'VA', '23219'],
  ['Honolulu', 'Hawaii', 'HI', '96813'],
  ['Anchorage', 'Alaska', 'AK', '99501'],
  ['Boise', 'Idaho', 'ID', '83702'],
  ['Des Moines', 'Iowa', 'IA', '50309'],
  ['Hartford', 'Connecticut', 'CT', '06103'],
  ['Providence', 'Rhode Island', 'RI', '02903'],
  ['Burlington', 'Vermont', 'VT', '05401'],
  ['Portland', 'Maine', 'ME', '04101'],
  ['Cheyenne', 'Wyoming', 'WY', '82001'],
  ['Billings', 'Montana', 'MT', '59101'],
  ['Fargo', 'North Dakota', 'ND', '58102'],
  ['Sioux Falls', 'South Dakota', 'SD', '57104'],
  ['Wichita', 'Kansas', 'KS', '67202'],
  ['Little Rock', 'Arkansas', 'AR', '72201'],
  ['Oklahoma City', 'Oklahoma', 'OK', '73102'],
  ['Louisville', 'Kentucky', 'KY', '40202'],
  ['Charleston', 'West Virginia', 'WV', '25301'],
  ['Wilmington', 'Delaware', 'DE', '19801'],
  ['Newark', 'New Jersey', 'NJ', '07102'],
  ['Manchester', 'New Hampshire', 'NH', '03101'],
  ['Birmingham', 'Alabama', 'AL', '35203'],
  ['Jackson', 'Mississippi', 'MS', '39201'],
  ['Columbia', 'South Carolina', 'SC', '29201'],
];

const DE: Place[] = [
  ['Berlin', 'Berlin', 'BE', '10117'],
  ['Hamburg', 'Hamburg', 'HH', '20095'],
  ['München', 'Bayern', 'BY', '80331'],
  ['Köln', 'Nordrhein-Westfalen', 'NW', '50667'],
  ['Frankfurt am Main', 'Hessen', 'HE', '60311'],
  ['Stuttgart', 'Baden-Württemberg', 'BW', '70173'],
  ['Düsseldorf', 'Nordrhein-Westfalen', 'NW', '40213'],
  ['Leipzig', 'Sachsen', 'SN', '04109'],
  ['Dortmund', 'Nordrhein-Westfalen', 'NW', '44135'],
  ['Essen', 'Nordrhein-Westfalen', 'NW', '45127'],
  ['Bremen', 'Bremen', 'HB', '28195'],
  ['Dresden', 'Sachsen', 'SN', '01067'],
  ['Hannover', 'Niedersachsen', 'NI', '30159'],
  ['Nürnberg', 'Bayern', 'BY', '90403'],
  ['Mainz', 'Rheinland-Pfalz', 'RP', '55116'],
  ['Kiel', 'Schleswig-Holstein', 'SH', '24103'],
  ['Erfurt', 'Thüringen', 'TH', '99084'],
  ['Magdeburg', 'Sachsen-Anhalt', 'ST', '39104'],
  ['Potsdam', 'Brandenburg', 'BB', '14467'],
  ['Schwerin', 'Mecklenburg-Vorpommern', 'MV', '19053'],
  ['Saarbrücken', 'Saarland', 'SL', '66111'],
  ['Wiesbaden', 'Hessen', 'HE', '65183'],
  ['Freiburg im Breisgau', 'Baden-Württemberg', 'BW', '79098'],
  ['Heidelberg', 'Baden-Württemberg', 'BW', '69117'],
  ['Regensburg', 'Bayern', 'BY', '93047'],
  ['Rostock', 'Mecklenburg-Vorpommern', 'MV', '18055'],
];

const AT: Place[] = [
  ['Wien', 'Wien', 'W', '1010'],
  ['Graz', 'Steiermark', 'Stmk', '8010'],
  ['Linz', 'Oberösterreich', 'OÖ', '4020'],
  ['Salzburg', 'Salzburg', 'Sbg', '5020'],
  ['Innsbruck', 'Tirol', 'T', '6020'],
  ['Klagenfurt am Wörthersee', 'Kärnten', 'Ktn', '9020'],
  ['Villach', 'Kärnten', 'Ktn', '9500'],
  ['Wels', 'Oberösterreich', 'OÖ', '4600'],
  ['St. Pölten', 'Niederösterreich', 'NÖ', '3100'],
  ['Dornbirn', 'Vorarlberg', 'Vbg', '6850'],
  ['Bregenz', 'Vorarlberg', 'Vbg', '6900'],
  ['Eisenstadt', 'Burgenland', 'Bgld', '7000'],
  ['Steyr', 'Oberösterreich', 'OÖ', '4400'],
  ['Wiener Neustadt', 'Niederösterreich', 'NÖ', '2700'],
  ['Leoben', 'Steiermark', 'Stmk', '8700'],
];

const CH: Place[] = [
  ['Zürich', 'Zürich', 'ZH', '8001'],
  ['Genève', 'Genève', 'GE', '1201'],
  ['Basel', 'Basel-Stadt', 'BS', '4051'],
  ['Bern', 'Bern', 'BE', '3011'],
  ['Lausanne', 'Vaud', 'VD', '1003'],
  ['Luzern', 'Luzern', 'LU', '6003'],
  ['St. Gallen', 'St. Gallen', 'SG', '9000'],
  ['Lugano', 'Ticino', 'TI', '6900'],
  ['Winterthur', 'Zürich', 'ZH', '8400'],
  ['Biel/Bienne', 'Bern', 'BE', '2502'],
  ['Fribourg', 'Fribourg', 'FR', '1700'],
  ['Neuchâtel', 'Neuchâtel', 'NE', '2000'],
  ['Chur', 'Graubünden', 'GR', '7000'],
  ['Sion', 'Valais', 'VS', '1950'],
  ['Schaffhausen', 'Schaffhausen', 'SH', '8200'],
  ['Zug', 'Zug', 'ZG', '6300'],
  ['Aarau', 'Aargau', 'AG', '5000'],
  ['Solothurn', 'Solothurn', 'SO', '4500'],
];

const FR: Place[] = [
  ['Paris', 'Île-de-France', 'IDF', '75001'],
  ['Marseille', "Provence-Alpes-Côte d'Azur", 'PAC', '13001'],
  ['Lyon', 'Auvergne-Rhône-Alpes', 'ARA', '69001'],
  ['Toulouse', 'Occitanie', 'OCC', '31000'],
  ['Nice', "Provence-Alpes-Côte d'Azur", 'PAC', '06000'],
  ['Nantes', 'Pays de la Loire', 'PDL', '44000'],
  ['Strasbourg', 'Grand Est', 'GES', '67000'],
  ['Montpellier', 'Occitanie', 'OCC', '34000'],
  ['Bordeaux', 'Nouvelle-Aquitaine', 'NAQ', '33000'],
  ['Lille', 'Hauts-de-France', 'HDF', '59000'],
  ['Rennes', 'Bretagne', 'BRE', '35000'],
  ['Reims', 'Grand Est', 'GES', '51100'],
  ['Le Havre', 'Normandie', 'NOR', '76600'],
  ['Grenoble', 'Auvergne-Rhône-Alpes', 'ARA', '38000'],
  ['Dijon', 'Bourgogne-Franche-Comté', 'BFC', '21000'],
  ['Angers', 'Pays de la Loire', 'PDL', '49000'],
  ['Orléans', 'Centre-Val de Loire', 'CVL', '45000'],
  ['Rouen', 'Normandie', 'NOR', '76000'],
  ['Tours', 'Centre-Val de Loire', 'CVL', '37000'],
  ['Ajaccio', 'Corse', 'COR', '20000'],
  ['Clermont-Ferrand', 'Auvergne-Rhône-Alpes', 'ARA', '63000'],
  ['Limoges', 'Nouvelle-Aquitaine', 'NAQ', '87000'],
  ['Besançon', 'Bourgogne-Franche-Comté', 'BFC', '25000'],
  ['Metz', 'Grand Est', 'GES', '57000'],
  ['Brest', 'Bretagne', 'BRE', '29200'],
  ['Amiens', 'Hauts-de-France', 'HDF', '80000'],
];

const ES: Place[] = [
  ['Madrid', 'Comunidad de Madrid', 'MD', '28013'],
  ['Barcelona', 'Cataluña', 'CT', '08002'],
  ['Valencia', 'Comunitat Valenciana', 'VC', '46002'],
  ['Sevilla', 'Andalucía', 'AN', '41004'],
  ['Zaragoza', 'Aragón', 'AR', '50001'],
  ['Málaga', 'Andalucía', 'AN', '29005'],
  ['Bilbao', 'País Vasco', 'PV', '48005'],
  ['Palma', 'Illes Balears', 'IB', '07001'],
  ['Las Palmas de Gran Canaria', 'Canarias', 'CN', '35002'],
  ['Murcia', 'Región de Murcia', 'MC', '30001'],
  ['Valladolid', 'Castilla y León', 'CL', '47001'],
  ['Vigo', 'Galicia', 'GA', '36201'],
  ['Oviedo', 'Principado de Asturias', 'AS', '33003'],
  ['Pamplona', 'Comunidad Foral de Navarra', 'NC', '31001'],
  ['Santander', 'Cantabria', 'CB', '39002'],
  ['Logroño', 'La Rioja', 'RI', '26001'],
  ['Granada', 'Andalucía', 'AN', '18009'],
  ['Toledo', 'Castilla-La Mancha', 'CM', '45001'],
  ['Badajoz', 'Extremadura', 'EX', '06001'],
];

const IT: Place[] = [
  ['Roma', 'Lazio', 'RM', '00186'],
  ['Milano', 'Lombardia', 'MI', '20121'],
  ['Napoli', 'Campania', 'NA', '80133'],
  ['Torino', 'Piemonte', 'TO', '10121'],
  ['Palermo', 'Sicilia', 'PA', '90133'],
  ['Genova', 'Liguria', 'GE', '16121'],
  ['Bologna', 'Emilia-Romagna', 'BO', '40121'],
  ['Firenze', 'Toscana', 'FI', '50122'],
  ['Bari', 'Puglia', 'BA', '70121'],
  ['Catania', 'Sicilia', 'CT', '95124'],
  ['Venezia', 'Veneto', 'VE', '30124'],
  ['Verona', 'Veneto', 'VR', '37121'],
  ['Trieste', 'Friuli-Venezia Giulia', 'TS', '34121'],
  ['Cagliari', 'Sardegna', 'CA', '09124'],
  ['Perugia', 'Umbria', 'PG', '06121'],
  ['Trento', 'Trentino-Alto Adige', 'TN', '38122'],
  ['Ancona', 'Marche', 'AN', '60121'],
  ['Aosta', "Valle d'Aosta", 'AO', '11100'],
  ['Potenza', 'Basilicata', 'PZ', '85100'],
  ['Campobasso', 'Molise', 'CB', '86100'],
  ["L'Aquila", 'Abruzzo', 'AQ', '67100'],
  ['Catanzaro', 'Calabria', 'CZ', '88100'],
];

const AU: Place[] = [
  ['Sydney', 'New South Wales', 'NSW', '2000'],
  ['Melbourne', 'Victoria', 'VIC', '3000'],
  ['Brisbane', 'Queensland', 'QLD', '4000'],
  ['Perth', 'Western Australia', 'WA', '6000'],
  ['Adelaide', 'South Australia', 'SA', '5000'],
  ['Hobart', 'Tasmania', 'TAS', '7000'],
  ['Canberra', 'Australian Capital Territory', 'ACT', '2600'],
  ['Darwin', 'Northern Territory', 'NT', '0800'],
  ['Surfers Paradise', 'Queensland', 'QLD', '4217'],
  ['Newcastle', 'New South Wales', 'NSW', '2300'],
  ['Wollongong', 'New South Wales', 'NSW', '2500'],
  ['Geelong', 'Victoria', 'VIC', '3220'],
  ['Cairns', 'Queensland', 'QLD', '4870'],
  ['Townsville', 'Queensland', 'QLD', '4810'],
  ['Launceston', 'Tasmania', 'TAS', '7250'],
  ['Ballarat', 'Victoria', 'VIC', '3350'],
  ['Bendigo', 'Victoria', 'VIC', '3550'],
  ['Toowoomba', 'Queensland', 'QLD', '4350'],
  ['Albury', 'New South Wales', 'NSW', '2640'],
  ['Fremantle', 'Western Australia', 'WA', '6160'],
];

const COUNTRIES: Record<string, readonly Place[]> = { US, DE, AT, CH, FR, ES, IT, AU };

/** The faker locales an address group serves, each with its country and that country's name in the locale. */
const LOCALES: Record<string, { country: string; name: string }> = {
  en: { country: 'US', name: 'United States' },
  en_US: { country: 'US', name: 'United States' },
  en_AU: { country: 'AU', name: 'Australia' },
  en_AU_ocker: { country: 'AU', name: 'Australia' },
  de: { country: 'DE', name: 'Deutschland' },
  de_DE: { country: 'DE', name: 'Deutschland' },
  de_AT: { country: 'AT', name: 'Österreich' },
  de_CH: { country: 'CH', name: 'Schweiz' },
  fr_CH: { country: 'CH', name: 'Suisse' },
  fr: { country: 'FR', name: 'France' },
  es: { country: 'ES', name: 'España' },
  it: { country: 'IT', name: 'Italia' },
};

/** Locales with address data, for messages. */
export const ADDRESS_LOCALES: readonly string[] = Object.keys(LOCALES);

/** The places and country of a faker locale key (`de_AT`), or undefined when none are bundled. */
export function addressCountry(localeKey: string): (AddressCountry & { name: string }) | undefined {
  const entry = LOCALES[localeKey];
  if (!entry) return undefined;
  return { code: entry.country, name: entry.name, places: COUNTRIES[entry.country]! };
}
