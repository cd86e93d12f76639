import { describe, expect, it } from 'vitest';
import { isFakerMethod } from '../transformers/faker-method.ts';
import { resolveTransformer } from '../transformers/registry.ts';
import { isBookkeepingName, kindByName, nameWords } from './name-signals.ts';
import { ruleForKind } from './personal-kinds.ts';

describe('column names', () => {
  it('split into folded words however they are spelt', () => {
    expect(nameWords('BillingPostalCode')).toEqual(['billing', 'postal', 'code']);
    expect(nameWords('e_mail')).toEqual(['e', 'mail']);
    expect(nameWords('Prénom2')).toEqual(['prenom', '2']);
    expect(nameWords('Straße')).toEqual(['strasse']);
    expect(nameWords('HTTPRemoteAddr')).toEqual(['http', 'remote', 'addr']);
  });

  it.each([
    ['email', 'email'],
    ['e_mail', 'email'],
    ['EmailAddress', 'email'],
    ['courriel', 'email'],
    ['contact_mail', 'email'],
    ['phone', 'phone'],
    ['tel', 'phone'],
    ['Telefon', 'phone'],
    ['telephone_number', 'phone'],
    ['mobile', 'phone'],
    ['Fax', 'phone'],
    ['first_name', 'firstName'],
    ['FirstName', 'firstName'],
    ['prenom', 'firstName'],
    ['Vorname', 'firstName'],
    ['nombre', 'name'],
    ['title_of_courtesy', 'courtesy'],
    ['Anrede', 'courtesy'],
    ['civilite', 'courtesy'],
    ['contact_title', 'jobTitle'],
    ['poste', 'jobTitle'],
    ['puesto', 'jobTitle'],
    ['extension', 'extension'],
    ['durchwahl', 'extension'],
    ['ansprechpartner', 'fullName'],
    ['last_name', 'lastName'],
    ['surname', 'lastName'],
    ['nom', 'lastName'],
    ['Nachname', 'lastName'],
    ['apellido', 'lastName'],
    ['full_name', 'fullName'],
    ['address', 'address'],
    ['adresse', 'address'],
    ['direccion', 'address'],
    ['strasse', 'address'],
    ['address2', 'address2'],
    ['city', 'city'],
    ['ville', 'city'],
    ['ciudad', 'city'],
    ['Stadt', 'city'],
    ['zip', 'postalCode'],
    ['postal_code', 'postalCode'],
    ['PLZ', 'postalCode'],
    ['dob', 'birthDate'],
    ['birth_date', 'birthDate'],
    ['Geburtsdatum', 'birthDate'],
    ['date_naissance', 'birthDate'],
    ['ssn', 'nationalId'],
    ['iban', 'iban'],
    ['card_number', 'card'],
    ['ip_address', 'ip'],
    ['password', 'password'],
    ['passwd', 'password'],
    ['username', 'username'],
    ['login', 'username'],
    ['picture', 'photo'],
    ['company', 'company'],
    ['name', 'name'],
    ['district', 'state'],
    ['salary', 'salary'],
  ])('%s → %s', (name, kind) => {
    expect(kindByName(name)).toBe(kind);
  });

  it('never reads a surrogate key or an ordinary word as personal', () => {
    for (const name of [
      'address_id',
      'CustomerId',
      'email_fk',
      'amount',
      'rating',
      'last_update',
      'description',
      'release_year',
      'tracking',
      'nominal',
    ]) {
      expect(kindByName(name), name).toBeUndefined();
    }
  });

  it('tells bookkeeping dates from dates about people', () => {
    expect(isBookkeepingName('last_update')).toBe(true);
    expect(isBookkeepingName('updatedAt')).toBe(true);
    expect(isBookkeepingName('create_date')).toBe(false);
    expect(isBookkeepingName('hire_date')).toBe(false);
  });

  it('suggests only transformers that exist, for the types they can write', () => {
    const text = {
      name: 'x',
      dataType: 'text',
      category: 'text',
      nullable: true,
      generated: false,
      identity: false,
    } as const;
    for (const kind of [
      'email',
      'phone',
      'firstName',
      'lastName',
      'fullName',
      'address',
      'address2',
      'city',
      'state',
      'country',
      'postalCode',
      'company',
      'username',
      'password',
      'iban',
      'card',
      'ip',
    ] as const) {
      const rule = ruleForKind(kind, text)!;
      expect(resolveTransformer(rule) ?? isFakerMethod(rule), `${kind}: ${rule}`).toBeTruthy();
    }
    expect(ruleForKind('birthDate', { ...text, category: 'date', dataType: 'date' })).toBe(
      '{ transform: dateShift, days: 365 }',
    );
    expect(ruleForKind('phone', text)).toBe('phone');
    expect(ruleForKind('phone', { ...text, category: 'integer', dataType: 'bigint' })).toBe('scramble');
    expect(ruleForKind('photo', { ...text, category: 'binary', dataType: 'bytea' })).toBe('null');
    expect(ruleForKind('photo', { ...text, category: 'binary', dataType: 'bytea', nullable: false })).toBeUndefined();
    expect(ruleForKind('email', { ...text, category: 'boolean', dataType: 'boolean' })).toBeUndefined();
  });
});
