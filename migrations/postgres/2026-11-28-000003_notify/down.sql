DROP TABLE job_runs;
ALTER TABLE people DROP COLUMN digest_opt_out;
DROP TABLE unit_notice_settings;
DROP TABLE notice_recipients;
DROP TABLE notices;
