import { describe, expect, it } from 'vitest';
import { isCardNumber, isEmail, isIban, isIpAddress, isPhoneNumber, nameShape } from './value-checks.ts';
import { valueSignal } from './value-signals.ts';

describe('single values', () => {
  it('card numbers pass Luhn, other digit runs do not', () => {
    expect(isCardNumber('4111 1111 1111 1111')).toBe(true);
    expect(isCardNumber('5500-0000-0000-0004')).toBe(true);
    expect(isCardNumber('4111 1111 1111 1112')).toBe(false);
    expect(isCardNumber('411111111111')).toBe(false); // 12 digits: too short
  });

  it('IBANs pass mod-97, with or without spaces', () => {
    expect(isIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isIban('GB82WEST12345698765432')).toBe(true);
    expect(isIban('GB82WEST12345698765433')).toBe(false);
    expect(isIban('DE89')).toBe(false);
  });

  it('emails, phones and IPs by shape', () => {
    expect(isEmail('MARY.SMITH@sakilacustomer.org')).toBe(true);
    expect(isEmail('not an email@x')).toBe(false);
    expect(isPhoneNumber('+55 (12) 3923-5555')).toBe(true);
    expect(isPhoneNumber('14033335568')).toBe(true);
    expect(isPhoneNumber('35200')).toBe(false);
    expect(isIpAddress('192.168.10.4')).toBe(true);
    expect(isIpAddress('2001:db8::1')).toBe(true);
    expect(isIpAddress('999.1.1.1')).toBe(false);
  });

  it("names by faker's lists of several languages, case and accents aside", () => {
    expect(nameShape('MARY')).toBe('first');
    expect(nameShape('François')).toBe('first');
    expect(nameShape('Helena Holý')).toBe('full');
    expect(nameShape('Smith')).toBe('last');
    expect(nameShape('Heavy Metal')).toBeUndefined();
    expect(nameShape('AC/DC')).toBeUndefined();
  });
});

describe('a column of sampled values', () => {
  const many = (values: string[], times = 3) => Array.from({ length: times }, () => values).flat();

  it('needs half of its non-NULL values to agree, and at least three', () => {
    expect(valueSignal(['a@b.co', 'c@d.org', null, 'x'], 'text')).toEqual({ kind: 'email', matches: 2, sampled: 3 });
    expect(valueSignal(['a@b.co', 'x', 'y'], 'text')).toBeUndefined();
    expect(valueSignal(['a@b.co', 'c@d.org'], 'text')).toBeUndefined();
  });

  it('finds phones, cards, IBANs, digests, names and free text', () => {
    expect(valueSignal(many(['+1 (403) 262-3443', '+49 030 26550280']), 'text')?.kind).toBe('phone');
    expect(valueSignal(many(['4111 1111 1111 1111']), 'text')?.kind).toBe('card');
    expect(valueSignal(many(['DE89 3704 0044 0532 0130 00']), 'text')?.kind).toBe('iban');
    expect(valueSignal(many(['8cb2237d0679ca88db6464eac60da96345513964']), 'text')?.kind).toBe('digest');
    expect(valueSignal(many(['Mary Smith', 'Jennifer Davis']), 'text')?.kind).toBe('fullName');
    expect(valueSignal(many(['PATRICIA', 'LINDA', 'BARBARA']), 'text')?.kind).toBe('firstName');
    const prose = 'A Fanciful Documentary of a Frisbee And a Lumberjack who must Chase a Monkey in A Shark Tank';
    expect(valueSignal(many([prose]), 'text')?.kind).toBe('freeText');
  });

  it('tells dates of birth from dates of events by their spread', () => {
    const births = ['1962-02-18', '1958-12-08', '1973-08-29', '1947-09-19', '1965-03-03'];
    expect(valueSignal(births, 'date')).toEqual({
      kind: 'birthDate',
      matches: 5,
      sampled: 5,
      detail: 'years spread over 26',
    });
    expect(
      valueSignal(['2022-05-24 22:53:30', '2022-06-01 10:00:00', '2022-07-30 09:00:00'], 'timestamp'),
    ).toBeUndefined();
  });

  it('tests only text columns for emails and numbers: a date is not a phone number', () => {
    expect(valueSignal(many(['2022-02-14', '2022-02-15']), 'date')).toBeUndefined();
    expect(valueSignal(many(['14033335568']), 'integer')).toBeUndefined();
  });
});
