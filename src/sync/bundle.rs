//! The bundle: what travels between a laptop and the office, by file or over the LAN.
//!
//! ```text
//! "FPBUNDLE" | format (1 byte) | header length (u32 LE) | header (JSON) | payload | signature
//! ```
//! The payload is a SQLite changeset compressed with zstd; the header says its length and
//! SHA-256. The Ed25519 signature (64 bytes) covers every byte before it. Nothing in a bundle
//! is trusted before its signature is checked against the key this side holds for the
//! sender (an enrolment file carries the office's key, and is kept by the laptop from then on).

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MAGIC: &[u8; 8] = b"FPBUNDLE";
/// The bundle format this build writes and reads.
pub const FORMAT: u8 = 2;
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
    /// The laptop's signing key (hex). The enrolment file is as secret as the laptop itself.
    pub secret_key: String,
    pub office_id: String,
    pub office_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub kind: Kind,
    /// The schema version of the sender's database: a newer one is refused whole.
    pub schema: i64,
    pub community_id: String,
    pub community_name: String,
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
    pub enrol: Option<Enrolment>,
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

/// Hex of bytes, lowercase.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let b = s.as_bytes();
    if b.len() != N * 2 {
        return None;
    }
    let nib = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = nib(b[2 * i])? << 4 | nib(b[2 * i + 1])?;
    }
    Some(out)
}

/// A random nonce (hex) for a header.
pub fn nonce() -> std::io::Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(std::io::Error::other)?;
    Ok(hex(&b))
}

/// A new signing key from the operating system's random source.
pub fn new_key() -> std::io::Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(std::io::Error::other)?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn secret_hex(k: &SigningKey) -> String {
    hex(&k.to_bytes())
}

pub fn public_hex(k: &SigningKey) -> String {
    hex(k.verifying_key().as_bytes())
}

pub fn signing_key(secret: &str) -> Option<SigningKey> {
    unhex::<32>(secret).map(|b| SigningKey::from_bytes(&b))
}

pub fn verifying_key(public: &str) -> Option<VerifyingKey> {
    unhex::<32>(public).and_then(|b| VerifyingKey::from_bytes(&b).ok())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Seal a changeset into a signed bundle. `header`'s payload fields are filled in here.
pub fn write(mut header: Header, changeset: &[u8], key: &SigningKey) -> std::io::Result<Vec<u8>> {
    let payload = zstd::stream::encode_all(changeset, 9)?;
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

    /// The changeset, decompressed (only after `verify`).
    pub fn changeset(&self) -> Result<Vec<u8>, Problem> {
        use std::io::Read;
        let mut out = Vec::new();
        zstd::stream::read::Decoder::new(self.payload)
            .map_err(|_| Problem::BadPayload)?
            .take(MAX_PAYLOAD + 1)
            .read_to_end(&mut out)
            .map_err(|_| Problem::BadPayload)?;
        if out.len() as u64 > MAX_PAYLOAD {
            return Err(Problem::BadPayload);
        }
        Ok(out)
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
            community_name: "芙蓉南路社区".into(),
            sender: "s".into(),
            devices: vec!["d".into()],
            to: String::new(),
            from: 0,
            upto: 3,
            ack: 0,
            created_at: "2026-11-29T10:00:00+08:00".into(),
            payload_len: 0,
            payload_sha256: String::new(),
            enrol: None,
            answers: String::new(),
            full: false,
            resend: false,
            database: String::new(),
            replace: false,
            nonce: String::new(),
        }
    }

    #[test]
    fn a_bundle_reads_back_and_any_altered_or_cut_byte_is_refused() {
        let key = new_key().unwrap();
        let public = public_hex(&key);
        let bytes = write(header(), b"some changes", &key).unwrap();
        let b = read(&bytes).unwrap();
        b.verify(&public).unwrap();
        assert_eq!(b.changeset().unwrap(), b"some changes");
        assert_eq!(b.header.community_name, "芙蓉南路社区");
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
    fn keys_round_trip_through_hex() {
        let key = new_key().unwrap();
        let again = signing_key(&secret_hex(&key)).unwrap();
        assert_eq!(public_hex(&again), public_hex(&key));
        assert!(signing_key("zz").is_none());
        assert!(verifying_key(&"0".repeat(63)).is_none());
    }
}
