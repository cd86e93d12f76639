import { describe, expect, it } from 'vitest';
import { summaryTable } from './summary-table.ts';

const summary = {
  rows: 5_020,
  bytes: 365_335,
  seconds: 1.5,
  tables: [
    {
      table: 'customer',
      rows: 2_000,
      bytes: 194_732,
      seconds: 0.219,
      skipped: false,
      maskedColumns: ['first_name', 'email'],
    },
    { table: 'address', rows: 3_020, bytes: 170_603, seconds: 0.282, skipped: false, maskedColumns: [] },
    { table: 'audit_log', rows: 0, bytes: 0, seconds: 0.001, skipped: true, maskedColumns: [] },
  ],
};

describe('summaryTable', () => {
  it('lists every table with rows, bytes, seconds and masked columns, then the totals', () => {
    expect(summaryTable(summary).split('\n')).toEqual([
      'table                rows   bytes  seconds  masked columns',
      '────────────────  ───────  ──────  ───────  ────────────────────',
      'customer            2,000  195 kB     0.22  2: first_name, email',
      'address             3,020  171 kB     0.28  —',
      'audit_log         skipped     0 B     0.00  —',
      '────────────────  ───────  ──────  ───────  ────────────────────',
      'total (3 tables)    5,020  365 kB     1.50  2',
      '',
    ]);
  });
});

describe('summaryTable on a narrow terminal', () => {
  const t = (table: string, rows: number, maskedColumns: string[]) => ({
    table,
    rows,
    bytes: rows * 100,
    seconds: 0.01,
    skipped: false,
    maskedColumns,
  });
  const chinook = {
    rows: 15_607,
    bytes: 342_000,
    seconds: 0.31,
    tables: [
      t('Artist', 275, []),
      t('Employee', 8, [
        'LastName',
        'FirstName',
        'BirthDate',
        'HireDate',
        'Address',
        'City',
        'State',
        'Country',
        'PostalCode',
        'Phone',
        'Fax',
        'Email',
      ]),
      t('Customer', 59, [
        'FirstName',
        'LastName',
        'Company',
        'Address',
        'City',
        'State',
        'Country',
        'PostalCode',
        'Phone',
        'Fax',
        'Email',
      ]),
      t('Invoice', 412, ['BillingAddress', 'BillingCity', 'BillingState', 'BillingCountry', 'BillingPostalCode']),
      t('PlaylistTrack', 8_715, []),
    ],
  };

  it('wraps the masked columns inside their cell at 100 columns', () => {
    expect(summaryTable(chinook, 100).split('\n')).toEqual([
      'table               rows    bytes  seconds  masked columns',
      '────────────────  ──────  ───────  ───────  ────────────────────────────────────────────────────────',
      'Artist               275  27.5 kB     0.01  —',
      'Employee               8    800 B     0.01  12: LastName, FirstName, BirthDate, HireDate, Address,',
      '                                                City, State, Country, PostalCode, Phone, Fax, Email',
      'Customer              59  5.90 kB     0.01  11: FirstName, LastName, Company, Address, City, State,',
      '                                                Country, PostalCode, Phone, Fax, Email',
      'Invoice              412  41.2 kB     0.01  5: BillingAddress, BillingCity, BillingState,',
      '                                               BillingCountry, BillingPostalCode',
      'PlaylistTrack      8,715   872 kB     0.01  —',
      '────────────────  ──────  ───────  ───────  ────────────────────────────────────────────────────────',
      'total (5 tables)  15,607   342 kB     0.31  28',
      '',
    ]);
  });

  it('lists the masked columns below the table at 60 columns, where a cell would be too narrow', () => {
    expect(summaryTable(chinook, 60).split('\n')).toEqual([
      'table               rows    bytes  seconds  masked',
      '────────────────  ──────  ───────  ───────  ──────',
      'Artist               275  27.5 kB     0.01  —',
      'Employee               8    800 B     0.01  12',
      'Customer              59  5.90 kB     0.01  11',
      'Invoice              412  41.2 kB     0.01  5',
      'PlaylistTrack      8,715   872 kB     0.01  —',
      '────────────────  ──────  ───────  ───────  ──────',
      'total (5 tables)  15,607   342 kB     0.31  28',
      '',
      'masked columns:',
      '  Employee: LastName, FirstName, BirthDate, HireDate,',
      '    Address, City, State, Country, PostalCode, Phone, Fax,',
      '    Email',
      '  Customer: FirstName, LastName, Company, Address, City,',
      '    State, Country, PostalCode, Phone, Fax, Email',
      '  Invoice: BillingAddress, BillingCity, BillingState,',
      '    BillingCountry, BillingPostalCode',
      '',
    ]);
  });

  it.each([40, 50, 60, 72, 80, 100, 120])(
    'keeps every line within %i columns and names every masked column whole',
    (width) => {
      const text = summaryTable(chinook, width);
      expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(width);
      const words = new Set(text.split(/[\s,:]+/));
      for (const table of chinook.tables)
        for (const column of table.maskedColumns) expect(words, `${column} at ${width}`).toContain(column);
    },
  );
});
