use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::org::model::{Actor, Grant, Role, UnitKind, UnitTree};

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).single().unwrap() + Duration::hours(h)
}

#[test]
fn a_link_acknowledges_only_what_it_was_made_for_and_only_until_it_expires() {
    let key = AckKey::from_secret("a secret long enough for the test");
    let claim = AckClaim::until(7, 42, at(24), 14);
    let token = key.sign(claim);
    assert_eq!(key.verify(&token, at(0)), Ok(claim));
    assert_eq!(claim.expires, at(24 + 14 * 24));
    // Expired.
    assert_eq!(
        key.verify(&token, claim.expires),
        Err(LinkProblem::Expired(claim.expires))
    );
    // Another unit, circular or expiry put in: the MAC no longer fits.
    let mac = token.rsplit('-').next().unwrap();
    let exp = claim.expires.timestamp();
    for forged in [
        format!("7-43-{exp}-{mac}"),
        format!("8-42-{exp}-{mac}"),
        format!("7-42-{}-{mac}", exp + 86_400),
    ] {
        assert_eq!(
            key.verify(&forged, at(0)),
            Err(LinkProblem::Forged),
            "{forged}"
        );
    }
    // Another server's key.
    let other = AckKey::from_secret("another secret");
    assert_eq!(other.verify(&token, at(0)), Err(LinkProblem::Forged));
    for junk in [
        "",
        "7-42",
        "x-42-1-abc",
        "7-42-1-!!!",
        "7-42-99999999999999999-abc",
    ] {
        assert!(key.verify(junk, at(0)).is_err(), "{junk}");
    }
}

#[test]
fn a_unit_stands_waiting_then_overdue_then_escalated_unless_it_acknowledges() {
    let due = at(24);
    assert_eq!(standing(due, None, None, at(1)), CircularStanding::Waiting);
    assert_eq!(standing(due, None, None, at(24)), CircularStanding::Overdue);
    assert_eq!(
        standing(due, None, Some(at(48)), at(49)),
        CircularStanding::Escalated
    );
    assert_eq!(
        standing(due, Some(at(3)), None, at(49)),
        CircularStanding::Acknowledged
    );
    assert_eq!(
        standing(due, Some(at(30)), Some(at(28)), at(49)),
        CircularStanding::AcknowledgedLate
    );
    let e = Escalation { hours: 24 };
    assert!(!e.due_now(due, false, false, at(47)));
    assert!(e.due_now(due, false, false, at(48)));
    assert!(
        !e.due_now(due, true, false, at(60)),
        "acknowledged late: no escalation"
    );
    assert!(!e.due_now(due, false, true, at(60)), "escalated once");
}

#[test]
fn the_tally_counts_acknowledged_replied_and_overdue_units() {
    use CircularStanding::*;
    let t = CircularTally::of([
        (Acknowledged, true),
        (AcknowledgedLate, false),
        (Overdue, false),
        (Escalated, false),
        (Waiting, false),
    ]);
    assert_eq!(
        (t.units, t.acknowledged, t.replied, t.overdue, t.escalated),
        (5, 2, 1, 2, 1)
    );
}

#[test]
fn a_circular_moves_from_draft_to_issued_to_withdrawn_only() {
    let now = at(0);
    assert!(check_issue(CircularState::Draft, 3, at(2), now).is_ok());
    assert!(check_issue(CircularState::Draft, 0, at(2), now).is_err());
    assert!(
        check_issue(CircularState::Draft, 3, at(0), now).is_err(),
        "deadline passed"
    );
    assert!(
        check_issue(CircularState::Issued, 3, at(2), now).is_err(),
        "issued twice"
    );
    assert!(check_withdraw(CircularState::Issued).is_ok());
    assert!(check_withdraw(CircularState::Draft).is_err());
    assert!(check_withdraw(CircularState::Withdrawn).is_err());
    assert!(check_open(CircularState::Withdrawn).is_err());
    assert!(check_draft(CircularState::Issued).is_err());
}

#[test]
fn the_body_keeps_its_lines_and_refuses_hidden_characters() {
    let b = parse_body("  一、总体要求\r\n\r\n二、值班安排  \n<script>alert(1)</script>").unwrap();
    assert_eq!(b, "一、总体要求\n\n二、值班安排\n<script>alert(1)</script>");
    assert_eq!(paragraphs(&b).len(), 3, "blank lines are no paragraphs");
    assert!(parse_body("   ").is_err());
    assert!(parse_body("a\u{7}b").is_err());
    assert!(parse_body("a\u{202e}b").is_err());
    assert!(parse_body(&"字".repeat(MAX_BODY + 1)).is_err());
}

#[test]
fn a_reply_follows_the_form_of_its_circular() {
    let fields = parse_fields(CircularReplyMode::Fields, &["值班人员\n联系电话".into()]).unwrap();
    assert_eq!(fields, ["值班人员", "联系电话"]);
    assert!(parse_fields(CircularReplyMode::Fields, &["值班人员\n值班人员".into()]).is_err());
    assert!(parse_fields(CircularReplyMode::Fields, &[]).is_err());
    assert!(parse_fields(CircularReplyMode::Text, &["x".into()])
        .unwrap()
        .is_empty());
    let labels = ["值班人员".to_string(), "联系电话".to_string()];
    let two = |a: &str, b: &str| ReplyInput {
        text: String::new(),
        values: vec![a.into(), b.into()],
    };
    assert!(check_reply(
        CircularReplyMode::Fields,
        false,
        &labels,
        &two("王强", "13800000000"),
        false
    )
    .is_ok());
    let empty = check_reply(
        CircularReplyMode::Fields,
        false,
        &labels,
        &two("王强", " "),
        false,
    )
    .unwrap_err();
    assert!(
        matches!(&empty, ServiceError::Invalid { message, .. } if message.zh.contains("联系电话")),
        "the empty field is named: {empty:?}"
    );
    assert!(
        check_reply(
            CircularReplyMode::Fields,
            false,
            &labels,
            &two("王强", "1"),
            true
        )
        .is_err(),
        "no file taken"
    );
    assert!(check_reply(
        CircularReplyMode::Text,
        true,
        &[],
        &ReplyInput::default(),
        true
    )
    .is_ok());
    assert!(check_reply(
        CircularReplyMode::Text,
        true,
        &[],
        &ReplyInput::default(),
        false
    )
    .is_err());
    assert!(check_reply(
        CircularReplyMode::None,
        true,
        &[],
        &ReplyInput::default(),
        false
    )
    .is_err());
}

fn actor(unit: Option<i64>, grants: &[(Role, Option<i64>)]) -> Actor {
    let mut a = Actor::system();
    a.account_id = 9;
    a.unit_id = unit;
    a.grants = grants
        .iter()
        .map(|(role, unit_id)| Grant {
            role: *role,
            unit_id: *unit_id,
        })
        .collect();
    a
}

#[test]
fn the_office_addresses_anyone_a_unit_only_those_below_it() {
    // 1 office; 2 street under it with 3 below; 4 department.
    let tree = UnitTree::new([(1, None), (2, Some(1)), (3, Some(2)), (4, Some(1))]);
    let office = actor(Some(1), &[(Role::OfficeStaff, None)]);
    let street = actor(Some(2), &[(Role::UnitHead, Some(2))]);
    assert!(not_addressable(&office, 1, &[2, 3, 4], &tree).is_empty());
    assert_eq!(not_addressable(&street, 2, &[2, 3, 4], &tree), [2, 4]);
    assert!(may_send_from(&street, 2, &tree));
    assert!(!may_send_from(&street, 1, &tree));
    assert!(acts_for(&street, 3, &tree));
    assert!(!acts_for(&street, 4, &tree));
    assert!(
        !acts_for(&office, 4, &tree),
        "a district-wide grant does not acknowledge for a unit"
    );
    let cands = [
        Candidate {
            id: 1,
            kind: UnitKind::Office,
        },
        Candidate {
            id: 2,
            kind: UnitKind::Street,
        },
        Candidate {
            id: 3,
            kind: UnitKind::Other,
        },
        Candidate {
            id: 4,
            kind: UnitKind::Department,
        },
    ];
    let pick = Pick {
        kinds: vec![UnitKind::Street],
        subtrees: vec![],
        units: vec![4],
    };
    assert_eq!(resolve(&pick, &cands, &tree, 1), [2, 4]);
    let pick = Pick {
        kinds: vec![],
        subtrees: vec![1],
        units: vec![],
    };
    assert_eq!(
        resolve(&pick, &cands, &tree, 1),
        [2, 3, 4],
        "the sender is not addressed"
    );
}
