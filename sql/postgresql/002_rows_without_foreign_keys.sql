-- A store's hours, special dates and tags without a foreign key to stores,
-- as its polls (001_schema.sql): checking it was half of loading weekly
-- hours (0.4 s of 0.8 for 95,783 rows), and it guards nothing the import
-- does not: an import adds a row's store before the row, in the same
-- transaction, and nothing deletes stores.
ALTER TABLE business_hours DROP CONSTRAINT business_hours_store_fkey;
ALTER TABLE special_hours DROP CONSTRAINT special_hours_store_fkey;
ALTER TABLE store_tags DROP CONSTRAINT store_tags_store_fkey;
