-- A unit's group chat: the 企业微信 or 钉钉 group robot its notices are also posted to, and which kinds it
-- hears. Each notice posted there is one more addressee of the notice (`chat:{unit}`), delivered by the outbox
-- with the same retries as email.
CREATE TABLE unit_chats (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    flavour TEXT NOT NULL CHECK (flavour IN ('wecom', 'dingtalk')),
    url TEXT NOT NULL,
    secret TEXT NOT NULL DEFAULT '',
    kinds TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);
