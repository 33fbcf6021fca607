ALTER TABLE sync_device ADD COLUMN age_key TEXT;
ALTER TABLE sync_device ADD COLUMN enrol_key TEXT;
ALTER TABLE sync_device ADD COLUMN keyed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sync_device ADD COLUMN enrol_file BLOB;
