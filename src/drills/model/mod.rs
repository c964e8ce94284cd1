//! The rules of drills, pure: sectors and plan levels, the minimum drill frequency of each pair, periods and
//! compliance on a date, the states of annual plans, drills and corrective actions, and input checks.

mod actions;
mod compliance;
mod frequency;
mod ics;
mod inputs;
mod states;

pub use actions::*;
pub use compliance::*;
pub use frequency::*;
pub use ics::*;
pub use inputs::*;
pub use states::*;

use crate::i18n::text_enum;

text_enum!(
    /// A unit's sector (行业类别): with the plan's level it sets the minimum drill frequency.
    DrillSector, "sector", {
        Government = "government", "党政机关、街道", "Government, department or street";
        Hotel = "hotel", "宾馆酒店", "Hotel";
        TouristSite = "tourist_site", "旅游景区", "Tourist site";
        CrowdedPlace = "crowded_place", "人员密集场所（商场、文化娱乐场所）", "Crowded place (mall, entertainment)";
        HazardousGoods = "hazardous_goods", "危险物品生产经营储存", "Hazardous goods";
        Mining = "mining", "矿山", "Mining";
        Metallurgy = "metallurgy", "金属冶炼", "Metallurgy";
        UrbanRail = "urban_rail", "城市轨道交通运营", "Urban rail";
        Construction = "construction", "建筑施工", "Construction";
        Production = "production", "其他生产经营单位", "Other production unit";
        Other = "other", "其他", "Other";
    }
);

text_enum!(
    /// A plan's level (预案级别/类型).
    PlanLevel, "level", {
        General = "general", "总体应急预案", "General plan";
        Special = "special", "专项应急预案", "Special plan";
        Departmental = "departmental", "部门应急预案", "Departmental plan";
        EnterpriseComprehensive = "enterprise_comprehensive", "企业综合应急预案", "Enterprise comprehensive plan";
        EnterpriseSpecial = "enterprise_special", "企业专项应急预案", "Enterprise special plan";
        Onsite = "onsite", "现场处置方案", "On-site disposal plan";
    }
);

text_enum!(
    /// What a drill covers (演练内容).
    DrillContent, "content", {
        Comprehensive = "comprehensive", "综合演练", "Comprehensive";
        Single = "single", "单项演练", "Single-function";
    }
);

text_enum!(
    /// How a drill is held (演练形式).
    DrillForm, "form", {
        Live = "live", "实战演练", "Live";
        Tabletop = "tabletop", "桌面演练", "Tabletop";
    }
);

text_enum!(
    /// The overall grade of an evaluated drill.
    DrillGrade, "grade", {
        Excellent = "excellent", "优", "Excellent";
        Good = "good", "良", "Good";
        Fair = "fair", "中", "Fair";
        Poor = "poor", "差", "Poor";
    }
);

text_enum!(
    /// How far an objective was met.
    ObjectiveResult, "result", {
        Met = "met", "达到", "Met";
        Partly = "partly", "部分达到", "Partly met";
        NotMet = "not_met", "未达到", "Not met";
    }
);

/// What a drill's materials are held for in the reserves area's reservations: `drill:{id}`.
pub fn held_for(drill_id: i64) -> String {
    format!("drill:{drill_id}")
}
