ALTER TABLE notice_recipients DROP COLUMN state, DROP COLUMN error, DROP COLUMN sent_at;
ALTER TABLE notice_recipients ADD CONSTRAINT notice_recipients_reason_check
    CHECK (reason IN ('custodian', 'countersigner', 'contact', 'administrator', 'digest', 'requested'));
