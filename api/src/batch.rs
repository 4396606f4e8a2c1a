//! A per-request batch loader that runs inside the request's own task.
//!
//! async-graphql's `DataLoader` spawns a task for every batch and waits out the batching
//! window on `futures-timer`'s global timer thread; the answer then travels back over a
//! channel. That is three cross-thread wake-ups per batch, about 15% of the CPU of a portal
//! page. This loader keeps the same contract (ADR 005: every key that arrives within the
//! window after the first joins one statement; at most [`MAX_BATCH`] keys a statement), but
//! the batch is a shared future that the waiting resolvers poll themselves: the window is a
//! tokio timer and the statement runs in the request's task. The loaders' own code (the
//! `Loader` trait of async-graphql) is unchanged.

use std::{
    any::{Any, TypeId},
    collections::{HashMap, HashSet},
    hash::Hash,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_graphql::dataloader::Loader;
use futures::future::{BoxFuture, FutureExt, Shared};

/// The most keys one batch holds; a full batch closes and the next key opens another
/// (as async-graphql's default, so no statement exceeds a database's parameter limit).
pub const MAX_BATCH: usize = 1000;

/// What one batch gives every key that joined it.
type Answer<K, V, E> = Arc<Result<HashMap<K, V>, E>>;

/// A batch's answer, awaited by every key that joined it.
type Batch<K, V, E> = Shared<BoxFuture<'static, Answer<K, V, E>>>;

/// The batch of one key type still taking keys.
struct Open<K, V, E> {
    keys: Arc<Mutex<HashSet<K>>>,
    answer: Batch<K, V, E>,
}

/// A batch loader over `T` for one request.
pub struct DataLoader<T> {
    inner: Arc<Inner<T>>,
    delay: Duration,
}

struct Inner<T> {
    loader: T,
    /// The open batch of each key type (`Open<K, ..>` behind `Any`).
    open: Mutex<HashMap<TypeId, Box<dyn Any + Send>>>,
}

impl<T: Send + Sync + 'static> DataLoader<T> {
    /// A loader whose batches wait `delay` after their first key (zero: one turn of the
    /// scheduler).
    pub fn new(loader: T, delay: Duration) -> Self {
        DataLoader {
            inner: Arc::new(Inner {
                loader,
                open: Mutex::new(HashMap::new()),
            }),
            delay,
        }
    }

    /// The wrapped loader.
    pub fn loader(&self) -> &T {
        &self.inner.loader
    }

    /// The value of one key, loaded in a batch with every other key asked within the window.
    pub async fn load_one<K>(&self, key: K) -> Result<Option<T::Value>, T::Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        T: Loader<K>,
        T::Error: Sync,
    {
        let answer = self.join(std::iter::once(key.clone())).await;
        match &*answer {
            Ok(values) => Ok(values.get(&key).cloned()),
            Err(e) => Err(e.clone()),
        }
    }

    /// The values of some keys (missing keys are left out), batched like [`Self::load_one`].
    pub async fn load_many<K, I>(&self, keys: I) -> Result<HashMap<K, T::Value>, T::Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        I: IntoIterator<Item = K>,
        T: Loader<K>,
        T::Error: Sync,
    {
        let keys: Vec<K> = keys.into_iter().collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let answer = self.join(keys.iter().cloned()).await;
        match &*answer {
            Ok(values) => Ok(keys
                .into_iter()
                .filter_map(|k| values.get(&k).cloned().map(|v| (k, v)))
                .collect()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Adds `keys` to the open batch of their type (opening one if none is) and waits for it.
    fn join<K>(&self, keys: impl Iterator<Item = K>) -> Batch<K, T::Value, T::Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        T: Loader<K>,
        T::Error: Sync,
    {
        let tid = TypeId::of::<K>();
        let mut open = self.inner.open.lock().unwrap_or_else(|e| e.into_inner());
        let batch = open
            .get(&tid)
            .and_then(|b| b.downcast_ref::<Open<K, T::Value, T::Error>>())
            .map(|b| (b.keys.clone(), b.answer.clone()));
        let (set, answer) = match batch {
            Some(batch) => batch,
            None => {
                let set = Arc::new(Mutex::new(HashSet::new()));
                let answer = self.run(set.clone()).boxed().shared();
                open.insert(
                    tid,
                    Box::new(Open {
                        keys: set.clone(),
                        answer: answer.clone(),
                    }),
                );
                (set, answer)
            }
        };
        let mut set_keys = set.lock().unwrap_or_else(|e| e.into_inner());
        set_keys.extend(keys);
        if set_keys.len() >= MAX_BATCH {
            // Full: later keys go to a new batch.
            open.remove(&tid);
        }
        answer
    }

    /// The batch future: wait out the window, close the batch, run one load.
    fn run<K>(
        &self,
        set: Arc<Mutex<HashSet<K>>>,
    ) -> impl std::future::Future<Output = Answer<K, T::Value, T::Error>> + Send + 'static
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        T: Loader<K>,
        T::Error: Sync,
    {
        let inner = self.inner.clone();
        let delay = self.delay;
        async move {
            if delay.is_zero() {
                tokio::task::yield_now().await;
            } else {
                tokio::time::sleep(delay).await;
            }
            let keys: Vec<K> = {
                let mut open = inner.open.lock().unwrap_or_else(|e| e.into_inner());
                let tid = TypeId::of::<K>();
                let ours = open
                    .get(&tid)
                    .and_then(|b| b.downcast_ref::<Open<K, T::Value, T::Error>>())
                    .is_some_and(|b| Arc::ptr_eq(&b.keys, &set));
                if ours {
                    open.remove(&tid);
                }
                let mut set = set.lock().unwrap_or_else(|e| e.into_inner());
                set.drain().collect()
            };
            Arc::new(inner.loader.load(&keys).await)
        }
    }
}
