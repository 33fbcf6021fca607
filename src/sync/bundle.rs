//! The bundle: what travels between a laptop and the office, by file or over the LAN.
//!
//! ```text
//! "FPBUNDLE" | format (1 byte) | header length (u32 LE) | header (JSON) | payload | signature
//! ```
//! The header holds only what routing needs (random ids, numbers, the sender's public keys):
//! no name, no phone, nothing of the community. The payload is sealed with age to its one
//! recipient (`keys`): the office's key for a laptop's bundle, the laptop's key for a reply,
//! the one-time code for an enrolment file. Inside it:
//!
//! ```text
//! inner length (u32 LE) | inner (JSON: the community's name, an enrolment) | zstd changeset
//! ```
//! The Ed25519 signature (64 bytes) covers every byte before it. Nothing in a bundle is
//! trusted before its signature is checked against the key this side holds for the sender,
//! and nothing is unpacked past the limit the caller gives.

use super::keys::{self, Keys};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use super::keys::{new_key, public_hex, secret_hex, signing_key, verifying_key};

pub const MAGIC: &[u8; 8] = b"FPBUNDLE";
/// The bundle format this build writes and reads.
pub const FORMAT: u8 = 3;
/// The first format whose payload is encrypted: older files are refused with a word to update.
pub const SEALED_FROM: u8 = 3;
/// The most a payload may grow to when decompressed (a guard against a crafted file).
pub const MAX_PAYLOAD: u64 = 2 << 30;
const SIG_LEN: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The office to a laptop at enrolment: the community, and the laptop's identity.
    Enrol,
    /// A laptop's records for the office.
    Laptop,
    /// The office's reply to one laptop.
    Office,
}

/// A laptop's identity, made by the office at enrolment (only in an enrolment file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub id: String,
    pub letter: String,
    pub person_id: Option<String>,
    pub person_name: String,
    /// A one-time signing key (hex): the laptop proves with it, once, that the keys it made
    /// at `join` are the enrolled laptop's. The office takes no other proof, and after the
    /// first bundle it takes none at all (only `join --replace` uses it again).
    pub one_time_key: String,
    pub office_id: String,
    /// The office's signing key (hex) and age key (`age1…`).
    pub office_key: String,
    pub office_age: String,
}

/// What is sealed with the changeset: what a recipient needs and nobody else may read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inner {
    pub community_name: String,
    #[serde(default)]
    pub enrol: Option<Enrolment>,
    /// In a reply: the proposals of the laptop it is for, with what the office decided.
    #[serde(default)]
    pub proposals: Vec<crate::domain::sync::ProposalNote>,
}

/// The sender's public keys, in every header: `sign` checks this bundle, `age` is what the
/// other side seals to from now on. A laptop's first bundle adds `proof`: the one-time key's
/// signature of its keys (see [`proof_message`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderKeys {
    pub sign: String,
    pub age: String,
    #[serde(default)]
    pub proof: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub kind: Kind,
    /// The schema version of the sender's database: a newer one is refused whole.
    pub schema: i64,
    pub community_id: String,
    /// Who signed: the laptop's enrolment id, or the office's id.
    pub sender: String,
    /// The device ids whose rows the sender carries as its own.
    pub devices: Vec<String>,
    /// For a reply or an enrolment: the laptop it is for.
    pub to: String,
    /// The sender's outbox entries it carries: after `from`, up to and including `upto`.
    pub from: i64,
    pub upto: i64,
    /// The last entry of the receiver's outbox the sender has applied.
    pub ack: i64,
    pub created_at: String,
    pub payload_len: u64,
    pub payload_sha256: String,
    pub keys: SenderKeys,
    /// The bundle of the other side this one answers: a reply names the laptop's bundle it
    /// applied; a laptop's bundle names the last reply (or the enrolment) it applied. Numbers
    /// are only trusted as far as the receiver finds that bundle among those it sent.
    #[serde(default)]
    pub answers: String,
    /// The payload is everything (of the sender, or of the community), not the outbox.
    #[serde(default)]
    pub full: bool,
    /// The sender lacks records of the receiver: the next bundle should carry everything.
    #[serde(default)]
    pub resend: bool,
    /// A laptop's database (made when it joined): one enrolment, one database.
    #[serde(default)]
    pub database: String,
    /// This laptop database takes the place of the one that used the enrolment before.
    #[serde(default)]
    pub replace: bool,
    /// Random: two files made in the same second with the same content are two files (only
    /// the same file taken in twice is a duplicate).
    #[serde(default)]
    pub nonce: String,
}

pub use crate::domain::sync::SyncProblem as Problem;

/// A random nonce (hex) for a header.
pub fn nonce() -> std::io::Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(std::io::Error::other)?;
    Ok(keys::hex(&b))
}

/// What a laptop's one-time key signs to vouch for the keys it made: the enrolment, and both
/// public keys.
pub fn proof_message(enrolment: &str, sign: &str, age: &str) -> Vec<u8> {
    format!("firepatrol enrolment proof\n{enrolment}\n{sign}\n{age}").into_bytes()
}

/// The proof (hex) that `keys` belong to the laptop holding `one_time`.
pub fn prove(one_time: &SigningKey, enrolment: &str, keys: &Keys) -> String {
    let msg = proof_message(enrolment, &keys.sign_public(), &keys.age_public());
    keys::hex(&one_time.sign(&msg).to_bytes())
}

/// Whether `k.proof` is the one-time key's (`one_time_public`) signature of `k`'s keys.
pub fn proof_holds(one_time_public: &str, enrolment: &str, k: &SenderKeys) -> bool {
    let Some(key) = verifying_key(one_time_public) else {
        return false;
    };
    let Some(sig) = unhex_sig(&k.proof) else {
        return false;
    };
    key.verify(&proof_message(enrolment, &k.sign, &k.age), &sig)
        .is_ok()
}

fn unhex_sig(s: &str) -> Option<Signature> {
    if s.len() != SIG_LEN * 2 || !s.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..SIG_LEN)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok())
        .collect();
    Signature::from_slice(&bytes?).ok()
}

fn sha256_hex(bytes: &[u8]) -> String {
    keys::hex(&Sha256::digest(bytes))
}

/// To whom a payload is sealed.
pub enum Seal<'a> {
    /// To the holder of this age key (`age1…`).
    To(&'a str),
    /// With a one-time code, through scrypt at `2^log_n`.
    Code { code: &'a str, log_n: u8 },
    /// No payload at all: a laptop that does not know the office's age key yet (it joined
    /// before files were sealed) says hello with its keys, and carries its records next time.
    Empty,
}

/// Seal `inner` and a changeset into a signed bundle. `header`'s payload fields are filled in
/// here.
pub fn write(
    mut header: Header,
    inner: &Inner,
    changeset: &[u8],
    seal: Seal<'_>,
    key: &SigningKey,
) -> std::io::Result<Vec<u8>> {
    let payload = match seal {
        Seal::Empty => Vec::new(),
        Seal::To(_) | Seal::Code { .. } => {
            let inner = serde_json::to_vec(inner).map_err(std::io::Error::other)?;
            let inner_len = u32::try_from(inner.len()).map_err(std::io::Error::other)?;
            let packed = zstd::stream::encode_all(changeset, 9)?;
            let mut plain = Vec::with_capacity(4 + inner.len() + packed.len());
            plain.extend_from_slice(&inner_len.to_le_bytes());
            plain.extend_from_slice(&inner);
            plain.extend_from_slice(&packed);
            match seal {
                Seal::To(to) => keys::seal_to(to, &plain)?,
                Seal::Code { code, log_n } => keys::seal_with_code(code, log_n, &plain)?,
                Seal::Empty => Vec::new(),
            }
        }
    };
    header.payload_len = payload.len() as u64;
    header.payload_sha256 = sha256_hex(&payload);
    let head = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
    let head_len = u32::try_from(head.len()).map_err(std::io::Error::other)?;
    let mut out = Vec::with_capacity(MAGIC.len() + 5 + head.len() + payload.len() + SIG_LEN);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT);
    out.extend_from_slice(&head_len.to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&payload);
    let sig = key.sign(&out);
    out.extend_from_slice(&sig.to_bytes());
    Ok(out)
}

/// How this side opens a payload.
pub enum Opener<'a> {
    /// With its own age key.
    Keys(&'a age::x25519::Identity),
    /// With the enrolment code a person typed.
    Code(&'a str),
}

/// A payload opened: the sealed inner part and the changeset, unpacked.
#[derive(Debug, Default)]
pub struct Opened {
    pub inner: Inner,
    pub changeset: Vec<u8>,
}

/// A bundle read and checked for shape (not yet for whose it is).
pub struct Bundle<'a> {
    pub header: Header,
    signed: &'a [u8],
    payload: &'a [u8],
    signature: Signature,
}

/// Read a bundle's frame and header. Nothing is trusted yet: see `Bundle::verify`.
pub fn read(bytes: &[u8]) -> Result<Bundle<'_>, Problem> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Problem::NotABundle);
    }
    let rest = &bytes[MAGIC.len()..];
    let Some((&format, rest)) = rest.split_first() else {
        return Err(Problem::Truncated);
    };
    if format > FORMAT {
        return Err(Problem::Newer {
            found: i64::from(format),
            supported: i64::from(FORMAT),
        });
    }
    if format < SEALED_FROM {
        return Err(Problem::OlderFormat);
    }
    if rest.len() < 4 {
        return Err(Problem::Truncated);
    }
    let (len, rest) = rest.split_at(4);
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    if rest.len() < len {
        return Err(Problem::Truncated);
    }
    let (head, rest) = rest.split_at(len);
    let header: Header = serde_json::from_slice(head).map_err(|_| Problem::BadHeader)?;
    let payload_len = usize::try_from(header.payload_len).map_err(|_| Problem::Truncated)?;
    if rest.len() < payload_len.saturating_add(SIG_LEN) {
        return Err(Problem::Truncated);
    }
    if rest.len() > payload_len + SIG_LEN {
        return Err(Problem::BadPayload);
    }
    let (payload, sig) = rest.split_at(payload_len);
    let signature = Signature::from_slice(sig).map_err(|_| Problem::BadSignature)?;
    let signed = &bytes[..bytes.len() - SIG_LEN];
    Ok(Bundle {
        header,
        signed,
        payload,
        signature,
    })
}

impl Bundle<'_> {
    /// Check the signature against the sender's key, and the payload against the header.
    pub fn verify(&self, public: &str) -> Result<(), Problem> {
        let key = verifying_key(public).ok_or(Problem::BadSignature)?;
        key.verify(self.signed, &self.signature)
            .map_err(|_| Problem::BadSignature)?;
        if sha256_hex(self.payload) != self.header.payload_sha256 {
            return Err(Problem::BadPayload);
        }
        Ok(())
    }

    /// Whether the payload is empty (a hello: see [`Seal::Empty`]).
    pub fn is_empty(&self) -> bool {
        self.payload.is_empty()
    }

    /// Open the payload (only after `verify`), unpacking the changeset to at most `limit`
    /// bytes. An empty payload opens to nothing.
    pub fn open(&self, with: Opener<'_>, limit: u64) -> Result<Opened, Problem> {
        if self.payload.is_empty() {
            return Ok(Opened::default());
        }
        let plain = match with {
            Opener::Keys(identity) => keys::open(identity, self.payload)?,
            Opener::Code(code) => keys::open_with_code(code, self.payload)?,
        };
        let (len, rest) = plain.split_at_checked(4).ok_or(Problem::BadPayload)?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let (inner, packed) = rest.split_at_checked(len).ok_or(Problem::BadPayload)?;
        let inner: Inner = serde_json::from_slice(inner).map_err(|_| Problem::BadPayload)?;
        let changeset = super::limits::unpack(packed, limit)?;
        Ok(Opened { inner, changeset })
    }

    /// The hash that names this bundle (of everything signed).
    pub fn id(&self) -> String {
        sha256_hex(self.signed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            kind: Kind::Laptop,
            schema: 6,
            community_id: "c".into(),
            sender: "s".into(),
            devices: vec!["d".into()],
            to: String::new(),
            from: 0,
            upto: 3,
            ack: 0,
            created_at: "2026-11-29T10:00:00+08:00".into(),
            payload_len: 0,
            payload_sha256: String::new(),
            keys: SenderKeys::default(),
            answers: String::new(),
            full: false,
            resend: false,
            database: String::new(),
            replace: false,
            nonce: String::new(),
        }
    }

    fn inner() -> Inner {
        Inner {
            community_name: "芙蓉南路社区".into(),
            enrol: None,
            proposals: Vec::new(),
        }
    }

    #[test]
    fn a_bundle_opens_for_its_recipient_and_any_altered_or_cut_byte_is_refused() {
        let me = Keys::generate().unwrap();
        let office = Keys::generate().unwrap();
        let public = me.sign_public();
        let seal = Seal::To(&office.age_public());
        let bytes = write(header(), &inner(), "马晓燕".as_bytes(), seal, &me.sign).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("芙蓉南路"));
        let b = read(&bytes).unwrap();
        b.verify(&public).unwrap();
        let opened = b.open(Opener::Keys(&office.age), MAX_PAYLOAD).unwrap();
        assert_eq!(opened.changeset, "马晓燕".as_bytes());
        assert_eq!(opened.inner.community_name, "芙蓉南路社区");
        // Sealed to the office: this machine cannot open it, nor can any other.
        assert_eq!(
            b.open(Opener::Keys(&me.age), MAX_PAYLOAD).unwrap_err(),
            Problem::NotForThisMachine
        );
        // Every single flipped byte is caught, by the frame, the header or the signature.
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            let caught = match read(&bad) {
                Err(_) => true,
                Ok(b) => b.verify(&public).is_err(),
            };
            assert!(caught, "byte {i} altered and not caught");
        }
        for cut in [0, 5, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(read(&bytes[..cut]).is_err(), "cut at {cut} not caught");
        }
        // Another key's signature is refused.
        let other = new_key().unwrap();
        assert_eq!(
            read(&bytes).unwrap().verify(&public_hex(&other)),
            Err(Problem::BadSignature)
        );
    }

    #[test]
    fn an_older_unsealed_format_is_refused_with_a_word_to_update() {
        let me = Keys::generate().unwrap();
        let mut bytes = write(header(), &inner(), b"", Seal::Empty, &me.sign).unwrap();
        bytes[MAGIC.len()] = 2;
        assert_eq!(read(&bytes).err(), Some(Problem::OlderFormat));
    }

    #[test]
    fn a_proof_vouches_for_exactly_the_keys_it_signed() {
        let one_time = new_key().unwrap();
        let laptop = Keys::generate().unwrap();
        let mut k = SenderKeys {
            sign: laptop.sign_public(),
            age: laptop.age_public(),
            proof: prove(&one_time, "enrolment-1", &laptop),
        };
        assert!(proof_holds(&public_hex(&one_time), "enrolment-1", &k));
        assert!(!proof_holds(&public_hex(&one_time), "enrolment-2", &k));
        let thief = Keys::generate().unwrap();
        k.age = thief.age_public();
        assert!(!proof_holds(&public_hex(&one_time), "enrolment-1", &k));
    }
}
