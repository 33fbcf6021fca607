//! The keys a machine syncs with, and the sealing of what travels.
//!
//! - Each machine (the office, and each laptop from its `join`) makes its own two keys: an
//!   Ed25519 key that signs what it sends, and an age (X25519) key that opens what is sent to
//!   it. They live in a key file beside the database (`office.db.key`, 0600), never in the
//!   database, so never in a backup, and they never leave the machine.
//! - What travels is sealed with age (<https://age-encryption.org>, the `age` crate): a
//!   laptop's bundle to the office's key, a reply to its laptop's key, an enrolment file with
//!   a one-time code of eight digits through scrypt (age's passphrase recipient, `N = 2^17`).
//!   age was chosen over HPKE because it is one small, audited format for exactly this (a file
//!   to a public key, or to a passphrase with a slow key derivation), with a streaming reader
//!   whose memory stays bounded.

use crate::domain::sync::SyncProblem;
use age::secrecy::{ExposeSecret, SecretString};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The scrypt work factor (log2 N) an enrolment file is sealed with: about a second per guess
/// on an office PC, so the 10^8 codes take years to try.
pub const ENROL_LOG_N: u8 = 17;
/// The most an enrolment file may ask of this machine to open it (a file asking more is
/// refused rather than tried: a crafted one could otherwise take hours and gigabytes).
pub const MAX_LOG_N: u8 = 18;
/// How many digits an enrolment code has.
pub const CODE_DIGITS: usize = 8;

/// This machine's own keys.
pub struct Keys {
    pub sign: SigningKey,
    pub age: age::x25519::Identity,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    /// The Ed25519 signing key (hex).
    sign: String,
    /// The age identity (`AGE-SECRET-KEY-1…`).
    age: String,
}

impl Keys {
    /// New keys from the operating system's random source.
    pub fn generate() -> std::io::Result<Keys> {
        Ok(Keys {
            sign: new_key()?,
            age: age::x25519::Identity::generate(),
        })
    }

    /// The public half of the signing key (hex).
    pub fn sign_public(&self) -> String {
        public_hex(&self.sign)
    }

    /// The public half of the age key (`age1…`): what others seal to.
    pub fn age_public(&self) -> String {
        self.age.to_public().to_string()
    }

    /// With a signing key kept from before keys lived in their own file.
    pub fn with_sign(sign: SigningKey) -> Keys {
        Keys {
            sign,
            age: age::x25519::Identity::generate(),
        }
    }
}

/// Where a database's key file lives: beside it, its name with `.key` added.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// The keys of the database at `db`: `Ok(None)` when there is no key file.
pub fn load(db: &Path) -> Result<Option<Keys>, SyncProblem> {
    let path = key_path(db);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(SyncProblem::KeyFileDamaged),
    };
    let file: KeyFile = serde_json::from_slice(&text).map_err(|_| SyncProblem::KeyFileDamaged)?;
    let sign = signing_key(&file.sign).ok_or(SyncProblem::KeyFileDamaged)?;
    let age = file
        .age
        .parse::<age::x25519::Identity>()
        .map_err(|_| SyncProblem::KeyFileDamaged)?;
    Ok(Some(Keys { sign, age }))
}

/// Write the key file of the database at `db` (0600, whole or not at all).
pub fn save(db: &Path, keys: &Keys) -> crate::error::Result<()> {
    let file = KeyFile {
        sign: hex(&keys.sign.to_bytes()),
        age: keys.age.to_string().expose_secret().to_string(),
    };
    let bytes = serde_json::to_vec_pretty(&file).map_err(|e| crate::error::Error::Io {
        path: key_path(db),
        source: std::io::Error::other(e),
    })?;
    crate::fsio::write_private_atomic(&key_path(db), &bytes)
}

/// Whether `s` is an age public key.
pub fn is_age_public(s: &str) -> bool {
    s.parse::<age::x25519::Recipient>().is_ok()
}

fn sealed(recipient: &dyn age::Recipient, plain: &[u8]) -> std::io::Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient))
        .map_err(std::io::Error::other)?;
    let mut out = Vec::with_capacity(plain.len() + 256);
    let mut w = encryptor.wrap_output(&mut out)?;
    w.write_all(plain)?;
    w.finish()?;
    Ok(out)
}

/// Seal `plain` to the holder of the age key `recipient` (`age1…`).
pub fn seal_to(recipient: &str, plain: &[u8]) -> std::io::Result<Vec<u8>> {
    let to = recipient
        .parse::<age::x25519::Recipient>()
        .map_err(std::io::Error::other)?;
    sealed(&to, plain)
}

/// Seal `plain` with a one-time code, through scrypt at `2^log_n`.
pub fn seal_with_code(code: &str, log_n: u8, plain: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut to = age::scrypt::Recipient::new(SecretString::from(code.to_string()));
    to.set_work_factor(log_n.clamp(1, MAX_LOG_N));
    sealed(&to, plain)
}

fn opened(
    sealed: &[u8],
    identity: &dyn age::Identity,
    refused: SyncProblem,
) -> Result<Vec<u8>, SyncProblem> {
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|_| SyncProblem::BadPayload)?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys
            | age::DecryptError::DecryptionFailed
            | age::DecryptError::KeyDecryptionFailed => refused,
            age::DecryptError::ExcessiveWork { .. } => SyncProblem::BadPayload,
            _ => SyncProblem::BadPayload,
        })?;
    // What comes out is never longer than what went in: memory is bounded by the input.
    let mut out = Vec::with_capacity(sealed.len());
    reader
        .read_to_end(&mut out)
        .map_err(|_| SyncProblem::BadPayload)?;
    Ok(out)
}

/// Open what was sealed to this machine's age key.
pub fn open(identity: &age::x25519::Identity, sealed: &[u8]) -> Result<Vec<u8>, SyncProblem> {
    opened(sealed, identity, SyncProblem::NotForThisMachine)
}

/// Open what was sealed with a one-time code.
pub fn open_with_code(code: &str, sealed: &[u8]) -> Result<Vec<u8>, SyncProblem> {
    let mut identity = age::scrypt::Identity::new(SecretString::from(code.to_string()));
    identity.set_max_work_factor(MAX_LOG_N);
    opened(sealed, &identity, SyncProblem::WrongCode)
}

/// A new one-time code of eight digits, every code as likely as any other.
pub fn new_code() -> std::io::Result<String> {
    let mut code = String::with_capacity(CODE_DIGITS);
    while code.len() < CODE_DIGITS {
        let mut b = [0u8; 1];
        getrandom::fill(&mut b).map_err(std::io::Error::other)?;
        // 250 = 25 × 10: anything above is drawn again, so each digit is uniform.
        if b[0] < 250 {
            code.push(char::from(b'0' + b[0] % 10));
        }
    }
    Ok(code)
}

/// A code as shown to a person: two groups of four ("4821 0937").
pub fn show_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(4));
    format!("{a} {b}")
}

/// A code as a person typed it: spaces and dashes are left out, full-width digits (from a
/// Chinese input method) count as digits. `None` unless eight digits remain.
pub fn typed_code(typed: &str) -> Option<String> {
    let mut code = String::new();
    for c in typed.chars() {
        match c {
            '0'..='9' => code.push(c),
            '０'..='９' => {
                let d = u32::from(c) - u32::from('０');
                code.push(char::from_digit(d, 10)?);
            }
            ' ' | '-' | '\u{3000}' | '\t' => {}
            _ => return None,
        }
    }
    (code.len() == CODE_DIGITS).then_some(code)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sealed_to_one_machine_opens_there_and_nowhere_else() {
        let office = Keys::generate().unwrap();
        let other = Keys::generate().unwrap();
        let sealed = seal_to(&office.age_public(), "马晓燕 13912345678".as_bytes()).unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("13912345678"));
        assert_eq!(
            open(&office.age, &sealed).unwrap(),
            "马晓燕 13912345678".as_bytes()
        );
        assert_eq!(
            open(&other.age, &sealed),
            Err(SyncProblem::NotForThisMachine)
        );
        assert!(is_age_public(&office.age_public()));
        assert!(!is_age_public("age1nothing"));
    }

    #[test]
    fn an_enrolment_opens_with_its_code_only_and_a_greedy_file_is_refused() {
        let sealed = seal_with_code("48210937", 10, b"enrolment").unwrap();
        assert_eq!(open_with_code("48210937", &sealed).unwrap(), b"enrolment");
        assert_eq!(
            open_with_code("48210938", &sealed),
            Err(SyncProblem::WrongCode)
        );
        // A file that asks for more work than this machine gives (2^30: hours, and 128 GiB)
        // is not even tried.
        let text = String::from_utf8_lossy(&sealed).into_owned();
        let line = text.lines().find(|l| l.starts_with("-> scrypt ")).unwrap();
        let greedy = line.replacen(" 10", " 30", 1);
        assert_ne!(greedy, line);
        let greedy = text.replacen(line, &greedy, 1);
        assert_eq!(
            open_with_code("48210937", greedy.as_bytes()),
            Err(SyncProblem::BadPayload)
        );
    }

    #[test]
    fn codes_are_eight_digits_and_read_back_as_typed() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), 8);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(
            typed_code(&show_code(&code)).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(typed_code("４８２１ ０９３７").as_deref(), Some("48210937"));
        assert_eq!(typed_code("4821-0937").as_deref(), Some("48210937"));
        assert_eq!(typed_code("4821093"), None);
        assert_eq!(typed_code("4821O937"), None);
    }

    #[test]
    fn keys_round_trip_through_their_file_and_hex() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.db");
        assert!(load(&db).unwrap().is_none());
        let keys = Keys::generate().unwrap();
        save(&db, &keys).unwrap();
        let again = load(&db).unwrap().unwrap();
        assert_eq!(again.sign_public(), keys.sign_public());
        assert_eq!(again.age_public(), keys.age_public());
        std::fs::write(key_path(&db), b"{").unwrap();
        assert!(matches!(load(&db), Err(SyncProblem::KeyFileDamaged)));
        assert!(signing_key("zz").is_none());
        assert!(verifying_key(&"0".repeat(63)).is_none());
    }
}
