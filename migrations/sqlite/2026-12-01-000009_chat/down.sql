DROP TABLE unit_chats;
