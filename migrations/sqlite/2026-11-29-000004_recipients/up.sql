-- Delivery is recorded per recipient (one refused address no longer fails a notice for everyone), and the
-- reasons for hearing a notice are declared by the areas, so the reason column takes any code.
CREATE TABLE notice_recipients_new (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    address TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    person_id BIGINT REFERENCES people (id),
    reason TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused', 'failed')),
    error TEXT,
    sent_at TIMESTAMP,
    PRIMARY KEY (notice_id, address)
);
INSERT INTO notice_recipients_new (notice_id, address, name, person_id, reason, state, sent_at)
SELECT r.notice_id, r.address, r.name, r.person_id, r.reason,
       CASE n.state WHEN 'sent' THEN 'sent' WHEN 'failed' THEN 'failed' ELSE 'pending' END,
       CASE n.state WHEN 'sent' THEN n.sent_at END
FROM notice_recipients r JOIN notices n ON n.id = r.notice_id;
DROP TABLE notice_recipients;
ALTER TABLE notice_recipients_new RENAME TO notice_recipients;
CREATE INDEX notice_recipients_person ON notice_recipients (person_id);
