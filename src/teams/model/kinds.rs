//! The codes of the teams area, each with its labels.

use crate::i18n::text_enum;

text_enum!(
    /// What kind of force a team is.
    TeamKind, "kind", {
        Comprehensive = "comprehensive", "综合性消防救援队伍", "Comprehensive fire and rescue";
        Professional = "professional", "专业救援队伍", "Professional rescue";
        Enterprise = "enterprise", "企业专职或兼职队伍", "Enterprise (full or part time)";
        Volunteer = "volunteer", "社会志愿救援队伍", "Volunteer rescue";
    }
);

text_enum!(
    /// A member's role in a team.
    MemberRole, "role", {
        Captain = "captain", "队长", "Captain";
        Deputy = "deputy", "副队长", "Deputy captain";
        Member = "member", "队员", "Member";
        Technician = "technician", "技术骨干", "Technical specialist";
        Driver = "driver", "驾驶员", "Driver";
        Medic = "medic", "卫生员", "Medic";
    }
);

impl MemberRole {
    /// Whether the role leads the team (and so manages it).
    pub fn leads(self) -> bool {
        matches!(self, MemberRole::Captain | MemberRole::Deputy)
    }
}

text_enum!(
    /// Whether a member can be called on.
    MemberStatus, "status", {
        InPost = "in_post", "在岗", "In post";
        Injured = "injured", "伤病", "Injured or ill";
        Left = "left", "离队", "Left the team";
    }
);

text_enum!(
    /// Why someone is away.
    LeaveKind, "kind", {
        Personal = "personal", "事假", "Personal leave";
        Sick = "sick", "病假", "Sick leave";
        Annual = "annual", "年休假", "Annual leave";
        Other = "other", "其他", "Other";
    }
);

text_enum!(
    /// Where a leave request stands.
    LeaveState, "state", {
        Requested = "requested", "待审批", "Awaiting approval";
        Approved = "approved", "已批准", "Approved";
        Refused = "refused", "未批准", "Refused";
        Cancelled = "cancelled", "已撤销", "Cancelled";
    }
);

text_enum!(
    /// A member at a training session.
    Attendance, "status", {
        Present = "present", "出勤", "Present";
        Absent = "absent", "缺勤", "Absent";
        Leave = "leave", "请假", "On leave";
    }
);
