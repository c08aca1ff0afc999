//! End-to-end tests over real TLS: the emulator on 127.0.0.1:0, a client that trusts its certificate.

mod helpers;
mod log_items;
mod startup;
mod token;
