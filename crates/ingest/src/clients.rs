//! Connections open per client address, for the listeners that cap them (SMTP here, HTTP in
//! the server): one client that opens many connections and sends nothing cannot take every
//! place.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// How many connections each client address has open.
#[derive(Clone, Default)]
pub struct Clients(Arc<std::sync::Mutex<HashMap<IpAddr, usize>>>);

/// One open connection of a client address, given back when dropped.
pub struct ClientSlot {
    clients: Clients,
    address: IpAddr,
}

impl Clients {
    /// A slot for one more connection from `address`, if it has fewer than `cap` open.
    pub fn take(&self, address: IpAddr, cap: usize) -> Option<ClientSlot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_insert(0);
        if *count >= cap.max(1) {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            clients: self.clone(),
            address,
        })
    }

    /// How many connections `address` has open.
    pub fn open(&self, address: IpAddr) -> usize {
        let open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        open.get(&address).copied().unwrap_or(0)
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.clients.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}
