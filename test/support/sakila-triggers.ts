/**
 * A schema in Sakila's style for the MariaDB trigger tests and the window benchmark
 * (bench/mysql-trigger-window.ts), with the three kinds of trigger Sakila's staging users meet:
 * `film` copies into `film_text` (AFTER INSERT, Sakila's own), deletes from it (AFTER DELETE);
 * `customer` stamps `create_date = NOW()` (BEFORE INSERT, made under another sql_mode and latin1)
 * and audits its deletes; `payment` has three AFTER INSERT audit triggers into `audit_log`, ordered
 * with FOLLOWS and PRECEDES unlike their creation order. The source has the tables, no triggers.
 */

export const tables = ['language', 'film', 'film_text', 'customer', 'payment', 'audit_log'];

/** Sakila's shape, cut down: `payment_id` is Sakila's SMALLINT unless a bigger table needs more. */
export function schema(paymentId = 'SMALLINT UNSIGNED'): string {
  return `
CREATE TABLE language (
  language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name CHAR(20) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);
CREATE TABLE film (
  film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(128) NOT NULL,
  description TEXT,
  language_id TINYINT UNSIGNED NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  KEY idx_title (title),
  CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id)
);
CREATE TABLE film_text (film_id SMALLINT UNSIGNED NOT NULL PRIMARY KEY, title VARCHAR(255) NOT NULL, description TEXT);
CREATE TABLE customer (
  customer_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  email VARCHAR(50),
  active TINYINT(1) NOT NULL DEFAULT 1,
  create_date DATETIME NOT NULL,
  last_update TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);
CREATE TABLE payment (
  payment_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id SMALLINT UNSIGNED NOT NULL,
  amount DECIMAL(5,2) NOT NULL,
  payment_date DATETIME NOT NULL,
  CONSTRAINT fk_payment_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id)
);
CREATE TABLE audit_log (
  audit_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  table_name VARCHAR(64) NOT NULL,
  row_id INT NOT NULL,
  action VARCHAR(32) NOT NULL,
  logged_at DATETIME(6) NOT NULL
);
`.replace('payment_id SMALLINT UNSIGNED', `payment_id ${paymentId}`);
}

/** Sakila's film triggers as they are, plus a stamp, audits and an order unlike the creation order. */
export const triggers = `
DELIMITER ;;
CREATE TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW BEGIN
    INSERT INTO film_text (film_id, title, description)
        VALUES (new.film_id, new.title, new.description);
  END;;
CREATE TRIGGER upd_film AFTER UPDATE ON film FOR EACH ROW BEGIN
    IF (old.title != new.title) OR (old.description != new.description) OR (old.film_id != new.film_id)
    THEN
        UPDATE film_text
            SET title=new.title,
                description=new.description,
                film_id=new.film_id
        WHERE film_id=old.film_id;
    END IF;
  END;;
CREATE TRIGGER del_film AFTER DELETE ON film FOR EACH ROW BEGIN
    DELETE FROM film_text WHERE film_id = old.film_id;
  END;;
DELIMITER ;
SET sql_mode = 'PIPES_AS_CONCAT,STRICT_TRANS_TABLES';
SET NAMES latin1;
CREATE TRIGGER customer_create_date BEFORE INSERT ON customer FOR EACH ROW SET NEW.create_date = NOW();
SET NAMES utf8mb4;
SET sql_mode = DEFAULT;
CREATE TRIGGER customer_delete AFTER DELETE ON customer FOR EACH ROW
  INSERT INTO audit_log (table_name, row_id, action, logged_at) VALUES ('customer', OLD.customer_id, 'supprimé', NOW(6));
CREATE TRIGGER payment_audit AFTER INSERT ON payment FOR EACH ROW
  INSERT INTO audit_log (table_name, row_id, action, logged_at) VALUES ('payment', NEW.payment_id, 'insert', NOW(6));
CREATE TRIGGER payment_audit_last AFTER INSERT ON payment FOR EACH ROW FOLLOWS payment_audit
  INSERT INTO audit_log (table_name, row_id, action, logged_at) VALUES ('payment', NEW.payment_id, 'last', NOW(6));
CREATE TRIGGER payment_audit_first AFTER INSERT ON payment FOR EACH ROW PRECEDES payment_audit
  INSERT INTO audit_log (table_name, row_id, action, logged_at) VALUES ('payment', NEW.payment_id, 'first', NOW(6));
`;

/** The source's rows: Sakila's counts, `payments` payments and as many audit rows unless told. */
export function sourceRows(payments = 16049, audits = payments): string {
  return `
INSERT INTO language SELECT seq, ELT(seq, 'English', 'Italian', 'Japanese', 'Mandarin', 'French', 'German'),
  '2006-02-15 05:02:19' FROM seq_1_to_6;
INSERT INTO film SELECT seq, CONCAT('FILM TITLE ', seq), CONCAT('A description of film ', seq), 1 + seq % 6,
  '2006-02-15 05:03:42' FROM seq_1_to_1000;
INSERT INTO film_text SELECT film_id, title, description FROM film;
INSERT INTO customer SELECT seq, CONCAT('FIRST', seq), CONCAT('LAST', seq), CONCAT('customer', seq, '@example.org'),
  seq % 7 <> 0, '2006-02-14 22:04:36' + INTERVAL seq MINUTE, '2006-02-15 04:57:20' FROM seq_1_to_599;
INSERT INTO payment SELECT seq, 1 + seq % 599, (seq % 1000) / 100, '2005-05-25 11:30:37' + INTERVAL seq MINUTE
  FROM seq_1_to_${payments};
INSERT INTO audit_log SELECT seq, 'payment', seq, 'insert', '2005-05-25 11:30:37' + INTERVAL seq SECOND
  FROM seq_1_to_${audits};
ANALYZE TABLE language, film, film_text, customer, payment, audit_log;
`;
}

/** Old rows in the target, written with its triggers on, as an application would have. */
export const targetRows = `
INSERT INTO language VALUES (1, 'Klingon', '2020-01-01 00:00:00');
INSERT INTO film (film_id, title, description, language_id) VALUES (1, 'OLD FILM', 'old', 1), (2, 'OLDER FILM', 'old', 1);
INSERT INTO customer (customer_id, first_name, last_name, email, create_date) VALUES (1, 'Old', 'Customer', NULL, '2001-01-01');
INSERT INTO payment (payment_id, customer_id, amount, payment_date) VALUES (1, 1, 1.00, '2020-01-01');
`;

/** Complete rules: every column kept, but the customers' names and emails. */
export const rulesText = `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}
strict: true
tables:
  language: { columns: { language_id: keep, name: keep, last_update: keep } }
  film: { columns: { film_id: keep, title: keep, description: keep, language_id: keep, last_update: keep } }
  film_text: { columns: { film_id: keep, title: keep, description: keep } }
  customer:
    columns:
      customer_id: keep
      first_name: person.firstName
      last_name: person.lastName
      email: email
      active: keep
      create_date: keep
      last_update: keep
  payment: { columns: { payment_id: keep, customer_id: keep, amount: keep, payment_date: keep } }
  audit_log: { columns: { audit_id: keep, table_name: keep, row_id: keep, action: keep, logged_at: keep } }
`;

/** The columns each table keeps as they are: byte-identical to the source's after a run. */
export const kept: Record<string, string[]> = {
  language: ['language_id', 'name', 'last_update'],
  film: ['film_id', 'title', 'description', 'language_id', 'last_update'],
  film_text: ['film_id', 'title', 'description'],
  customer: ['customer_id', 'active', 'create_date', 'last_update'],
  payment: ['payment_id', 'customer_id', 'amount', 'payment_date'],
  audit_log: ['audit_id', 'table_name', 'row_id', 'action', 'logged_at'],
};
