-- Delivery is recorded per recipient (one refused address no longer fails a notice for everyone), and the
-- reasons for hearing a notice are declared by the areas, so the reason column takes any code.
ALTER TABLE notice_recipients DROP CONSTRAINT notice_recipients_reason_check;
ALTER TABLE notice_recipients
    ADD COLUMN state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused', 'failed')),
    ADD COLUMN error TEXT,
    ADD COLUMN sent_at TIMESTAMP;
UPDATE notice_recipients r SET
    state = CASE n.state WHEN 'sent' THEN 'sent' WHEN 'failed' THEN 'failed' ELSE 'pending' END,
    sent_at = CASE n.state WHEN 'sent' THEN n.sent_at END
FROM notices n WHERE n.id = r.notice_id;
