//! Interface strings: (key, Chinese, English). Audit entity and action codes are keys too.

use super::Lang;

/// Every interface string.
pub const ENTRIES: &[(&str, &str, &str)] = &[
    ("app.name", "应急值守与物资", "Emergency readiness"),
    ("nav.home", "首页", "Home"),
    ("nav.units", "单位", "Units"),
    ("nav.people", "人员", "People"),
    ("nav.accounts", "账号", "Accounts"),
    ("nav.audit", "审计日志", "Audit trail"),
    ("nav.tokens", "API 令牌", "API tokens"),
    ("nav.api", "API 文档", "API reference"),
    ("nav.sign_out", "退出", "Sign out"),
    ("login.title", "登录", "Sign in"),
    ("login.submit", "登录", "Sign in"),
    ("home.welcome", "区应急管理信息系统", "District emergency management"),
    ("home.units", "在用单位", "Active units"),
    ("home.people", "在册人员", "Active people"),
    ("home.roles", "我的角色", "My roles"),
    ("home.no_roles", "暂无角色（只读）", "No roles (read only)"),
    ("home.coming", "即将上线", "Coming next"),
    ("home.coming_text", "应急物资储备（账物相符、盘点）、调拨、救援队伍、值班排班与演练将在此处接入。", "Material reserves (account matching, stocktakes), allocation, rescue teams, duty rosters and drills will appear here."),
    ("field.name", "名称/姓名", "Name"),
    ("field.kind", "类型", "Kind"),
    ("field.parent", "上级单位", "Parent unit"),
    ("field.contact_emails", "联系邮箱", "Contact e-mails"),
    ("field.phone", "电话", "Phone"),
    ("field.email", "邮箱", "E-mail"),
    ("field.post", "职务", "Post"),
    ("field.unit", "所属单位", "Unit"),
    ("field.status", "状态", "Status"),
    ("field.username", "用户名", "Username"),
    ("field.password", "密码", "Password"),
    ("field.person", "对应人员", "Person"),
    ("field.language", "界面语言", "Language"),
    ("field.roles", "角色", "Roles"),
    ("field.last_login", "最近登录", "Last sign-in"),
    ("field.created", "创建时间", "Created"),
    ("status.active", "在用", "Active"),
    ("status.inactive", "已停用", "Inactive"),
    ("list.search", "搜索", "Search"),
    ("list.any", "全部", "All"),
    ("list.filter", "筛选", "Filter"),
    ("list.empty", "没有记录", "Nothing here"),
    ("list.total", "共", "Total"),
    ("list.prev", "上一页", "Previous"),
    ("list.next", "下一页", "Next"),
    ("action.save", "保存", "Save"),
    ("action.back", "返回", "Back"),
    ("action.deactivate", "停用", "Deactivate"),
    ("action.activate", "启用", "Activate"),
    ("units.new", "新建单位", "New unit"),
    ("units.top_level", "（无，顶级单位）", "(none: top level)"),
    ("units.emails_hint", "每行一个，也可用逗号分隔；通知与提醒将发送到这些地址。", "One per line or separated by commas; notices and reminders go to these addresses."),
    ("units.children", "下级单位", "Sub-units"),
    ("people.new", "添加人员", "Add person"),
    ("accounts.new", "新建账号", "New account"),
    ("accounts.username_hint", "3–32 位小写字母、数字或 . _ -", "3–32 lower-case letters, digits, . _ -"),
    ("accounts.new_password", "重置密码", "Reset password"),
    ("accounts.new_password_hint", "留空则不修改；修改后该账号需重新登录。", "Leave empty to keep it; a new password signs the account out everywhere."),
    ("accounts.roles_hint", "取消勾选即移除该角色。角色对所选单位及其全部下级单位有效。", "Untick to remove a role. A role applies to its unit and every unit below it."),
    ("accounts.add_role", "添加角色", "Add a role"),
    ("accounts.role_scope", "适用范围", "Scope"),
    ("accounts.deactivate_hint", "停用后该账号立即退出登录，令牌失效。", "Deactivation signs the account out at once and stops its tokens."),
    ("scope.district", "全区", "Whole district"),
    ("tokens.name", "名称", "Name"),
    ("tokens.name_hint", "例如：物资对接脚本", "e.g. reserves sync script"),
    ("tokens.create", "生成新令牌", "Create a token"),
    ("tokens.copy_now", "请立即复制此令牌，它只显示这一次：", "Copy this token now; it is shown only once:"),
    ("tokens.last_used", "最近使用", "Last used"),
    ("tokens.revoke", "撤销", "Revoke"),
    ("tokens.revoked", "已撤销", "Revoked"),
    ("audit.entity", "对象", "Record"),
    ("audit.action", "操作", "Action"),
    ("audit.from", "起始日期", "From"),
    ("audit.to", "截止日期", "To"),
    ("audit.when", "时间", "When"),
    ("audit.who", "操作人", "Who"),
    ("audit.what", "内容", "What"),
    ("audit.changes", "变更", "Changes"),
    ("audit.history", "变更记录", "History"),
    ("api.spec", "机器可读的接口描述", "Machine-readable description"),
    ("api.params", "参数", "Parameters"),
    ("api.body", "请求体", "Request body"),
    ("api.responses", "响应", "Responses"),
    ("unit", "单位", "Unit"),
    ("person", "人员", "Person"),
    ("account", "账号", "Account"),
    ("api_token", "API 令牌", "API token"),
    ("create", "新建", "Created"),
    ("update", "修改", "Updated"),
    ("deactivate", "停用", "Deactivated"),
    ("activate", "启用", "Activated"),
    ("delete", "删除", "Deleted"),
    ("sign_in", "登录", "Signed in"),
    ("password_reset", "重置密码", "Password reset"),
    ("revoke", "撤销", "Revoked"),
];

/// The string for `key` in `lang`, or a visible `?` when missing (a gap, not a crash).
pub fn lookup(key: &str, lang: Lang) -> &'static str {
    match ENTRIES.iter().find(|(k, _, _)| *k == key) {
        Some((_, zh, en)) => match lang {
            Lang::Zh => zh,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing interface string");
            "?"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t("…")` key used in a template or in code exists in the table.
    #[test]
    fn every_key_used_in_templates_is_translated() {
        let mut missing = Vec::new();
        let mut files = vec![];
        for dir in ["templates", "templates/org", "templates/audit"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for e in std::fs::read_dir(path).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    files.push(std::fs::read_to_string(p).unwrap());
                }
            }
        }
        for text in files {
            for part in text.split(".t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if !ENTRIES.iter().any(|(k, _, _)| *k == key) {
                    missing.push(key.to_string());
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }
}
