//! Interface strings of notices beyond email: a unit's group chat robot, audit actions included.

/// The group chat's strings.
pub const ENTRIES: &[(&str, &str, &str)] = &[
    ("chat_settings", "工作群机器人设置", "Group chat settings"),
    ("test_chat", "工作群测试消息", "Group chat test"),
    ("chat.title", "工作群机器人", "Group chat robot"),
    ("chat.intro", "值班人员常在企业微信或钉钉群里：在群设置中添加“群机器人”，把它的 Webhook 地址填在这里，下面勾选的通知就会同时发到群里（失败会自动重试，可在发件箱查看）。", "Duty staff live in their WeCom or DingTalk groups: add a group robot in the group's settings and paste its webhook address here; the kinds ticked below are then also posted to the group (retried when it fails; see the outbox)."),
    ("chat.flavour", "机器人类型", "Robot"),
    ("chat.url", "Webhook 地址", "Webhook address"),
    ("chat.secret", "加签密钥（钉钉，可不填）", "Signing secret (DingTalk, optional)"),
    ("chat.secret_kept", "已设置加签；留空则保持不变。", "Signing is on; leave blank to keep it."),
    ("chat.clear_secret", "关闭加签", "Turn signing off"),
    ("chat.kinds", "发到群里的通知", "Notices posted to the group"),
    ("chat.none", "尚未设置工作群机器人。", "No group chat robot yet."),
    ("chat.save", "保存工作群设置", "Save group chat"),
    ("chat.test", "发送测试消息到群", "Send a test message to the group"),
    ("chat.remove", "删除工作群机器人", "Remove the group chat robot"),
];
