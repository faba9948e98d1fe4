//! New items: what "Add" puts in a situation before the user has typed anything.

use super::edit::Edit;
use super::{
    Actor, ActorKind, Event, EventKind, Influence, Instrument, Item, ItemKind, ItemRef,
    LineOfEffort, Partner, PartnerCategory, Situation, Stance, Status, Track, ids,
};

/// A new item of `kind`: the kind's placeholder name, an id made from it that `situation`
/// does not use yet, the situation's default sensitivity, and neutral choices elsewhere
/// (a new event is dated on the as-of date).
pub fn new_item(situation: &Situation, kind: ItemKind) -> Item {
    let sensitivity = situation.sensitivity;
    let name = kind.placeholder_name();
    let id = ids::fresh_id(situation, name, kind.id_fallback());
    match kind {
        ItemKind::Actor => Item::Actor(Actor {
            id,
            name: name.into(),
            kind: ActorKind::Other,
            stance: Stance::Unknown,
            influence: Influence::Medium,
            interests: String::new(),
            notes: String::new(),
            sensitivity,
            place: None,
            aliases: Vec::new(),
        }),
        ItemKind::Partner => Item::Partner(Partner {
            id,
            name: name.into(),
            acronym: String::new(),
            category: PartnerCategory::UnSystem,
            instruments: Vec::new(),
            notes: String::new(),
            sensitivity,
        }),
        ItemKind::Line => Item::Line(LineOfEffort {
            id,
            title: name.into(),
            instrument: Instrument::GoodOffices,
            sector: String::new(),
            track: Track::I,
            status: Status::Planned,
            start: None,
            end: None,
            actors: Vec::new(),
            notes: String::new(),
            sensitivity,
            places: Vec::new(),
        }),
        ItemKind::Event => Item::Event(Event {
            id,
            title: name.into(),
            kind: EventKind::DiplomaticAction,
            date: situation.as_of,
            end: None,
            actors: Vec::new(),
            partners: Vec::new(),
            lines: Vec::new(),
            answers: Vec::new(),
            source: String::new(),
            notes: String::new(),
            sensitivity,
            fatalities: None,
            place: None,
            description: String::new(),
        }),
    }
}

/// The edit that adds a [`new_item`] of `kind` at the end of its list, and a reference to it
/// (to select it). Always `Some` today; the `Option` is kept for the callers in the ui layer.
pub fn new_item_edit(situation: &Situation, kind: ItemKind) -> Option<(Edit, ItemRef)> {
    let item = new_item(situation, kind);
    let added = ItemRef::new(kind, item.id());
    let index = match kind {
        ItemKind::Actor => situation.actors.len(),
        ItemKind::Partner => situation.partners.len(),
        ItemKind::Line => situation.lines.len(),
        ItemKind::Event => situation.events.len(),
    };
    Some((Edit::Insert { index, item }, added))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::apply;
    use crate::model::{PartialDate, Sensitivity};

    fn situation() -> Situation {
        let mut s = Situation::new("Guinea", PartialDate::day(2009, 10, 15).unwrap());
        s.sensitivity = Sensitivity::Confidential;
        s
    }

    fn add(s: &mut Situation, kind: ItemKind) -> ItemRef {
        let (edit, added) = new_item_edit(s, kind).unwrap();
        apply(s, edit).unwrap();
        added
    }

    #[test]
    fn new_items_get_ids_from_their_placeholder_names_each_unused() {
        let mut s = situation();
        let ids: Vec<String> = [
            ItemKind::Actor,
            ItemKind::Actor,
            ItemKind::Partner,
            ItemKind::Line,
            ItemKind::Event,
            ItemKind::Event,
            ItemKind::Event,
        ]
        .into_iter()
        .map(|kind| add(&mut s, kind).id)
        .collect();
        assert_eq!(
            ids,
            [
                "new-actor",
                "new-actor-2",
                "new-partner",
                "new-line-of-effort",
                "new-event",
                "new-event-2",
                "new-event-3"
            ]
        );
    }

    #[test]
    fn a_new_id_skips_one_taken_by_another_kind() {
        let mut s = situation();
        let mut taken = new_item(&s, ItemKind::Actor);
        if let Item::Actor(a) = &mut taken {
            a.id = "new-event".into();
        }
        apply(
            &mut s,
            Edit::Insert {
                index: 0,
                item: taken,
            },
        )
        .unwrap();
        assert_eq!(add(&mut s, ItemKind::Event).id, "new-event-2");
    }

    #[test]
    fn the_edit_appends_the_item_and_names_what_it_added() {
        let mut s = situation();
        add(&mut s, ItemKind::Line);
        let (edit, added) = new_item_edit(&s, ItemKind::Line).unwrap();
        let Edit::Insert { index, item } = &edit else {
            panic!("an insert: {edit:?}");
        };
        assert_eq!(*index, 1);
        assert_eq!(item.kind(), ItemKind::Line);
        assert_eq!(item.id(), added.id);
        assert_eq!(added.kind, ItemKind::Line);
        apply(&mut s, edit).unwrap();
        assert_eq!(
            s.lines.last().map(|l| l.id.as_str()),
            Some(added.id.as_str())
        );
    }

    #[test]
    fn new_items_take_the_placeholder_name_the_default_sensitivity_and_the_as_of_date() {
        let s = situation();
        for kind in ItemKind::ALL {
            let item = new_item(&s, kind);
            assert_eq!(item.name(), kind.placeholder_name());
            let sensitivity = match &item {
                Item::Actor(x) => x.sensitivity,
                Item::Partner(x) => x.sensitivity,
                Item::Line(x) => x.sensitivity,
                Item::Event(x) => x.sensitivity,
            };
            assert_eq!(sensitivity, Sensitivity::Confidential, "{kind:?}");
        }
        let Item::Event(e) = new_item(&s, ItemKind::Event) else {
            panic!("an event");
        };
        assert_eq!(e.date, s.as_of);
        assert_eq!(e.end, None);
        let Item::Line(l) = new_item(&s, ItemKind::Line) else {
            panic!("a line");
        };
        assert_eq!(l.status, Status::Planned);
    }

    #[test]
    fn a_new_item_passes_validation() {
        let mut s = situation();
        for kind in ItemKind::ALL {
            add(&mut s, kind);
        }
        let errors: Vec<_> = crate::model::validate(&s)
            .into_iter()
            .filter(|d| d.severity == crate::model::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}
