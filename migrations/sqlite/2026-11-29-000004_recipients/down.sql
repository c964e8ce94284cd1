CREATE TABLE notice_recipients_old (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    address TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    person_id BIGINT REFERENCES people (id),
    reason TEXT NOT NULL,
    PRIMARY KEY (notice_id, address)
);
INSERT INTO notice_recipients_old SELECT notice_id, address, name, person_id, reason FROM notice_recipients;
DROP TABLE notice_recipients;
ALTER TABLE notice_recipients_old RENAME TO notice_recipients;
CREATE INDEX notice_recipients_person ON notice_recipients (person_id);
