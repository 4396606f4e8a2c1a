//! Course offerings: the sections a student actually enrols in, and the
//! portal's main list with its filters (sector, pathway, term, schedule,
//! A-G, college credit, seats, free for a district, eligible for a student).

pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod store;
pub mod types;
