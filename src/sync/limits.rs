//! Bounded reading of what arrives from another machine: a compressed payload is unpacked
//! in a streaming way, never past a limit, with the decoder's own memory bounded too. A
//! "zstd bomb" (a few kilobytes that unpack to gigabytes) stops at the limit.
//!
//! Two ways in: [`unpack`] for a payload that is wanted whole in memory, and [`Capped`] to
//! stream it (into SQLite's `apply_strm`, a file, a hash) without ever holding it all.

use crate::domain::sync::SyncProblem;
use std::io::Read;

/// The most a changeset that came over the LAN may unpack to. A laptop's bundle of a year's
/// patrols is a few megabytes; 100,000 hazards with their events are 16.6 MB.
pub const MAX_CHANGESET_LAN: u64 = 64 << 20;

/// The largest zstd window accepted (2^23 = 8 MiB): the decoder allocates the window a
/// frame asks for, so this bounds its memory whatever the frame says. Bundles are written at
/// level 9, whose window is 4 MiB at most.
pub const MAX_WINDOW_LOG: u32 = 23;

/// A reader that gives at most `limit` bytes of `inner` and then fails (rather than cut the
/// data short silently).
pub struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Capped<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            limit,
        }
    }

    /// The limit this reader holds to.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: it may end here, or there may be more, which is an error.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!("more than {} bytes", self.limit),
                )),
            };
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// A streaming zstd decoder of `compressed` whose output is capped at `limit` bytes and
/// whose window is at most 2^[`MAX_WINDOW_LOG`].
pub fn decoder(
    compressed: &[u8],
    limit: u64,
) -> std::io::Result<Capped<zstd::stream::read::Decoder<'static, std::io::BufReader<&[u8]>>>> {
    let mut d = zstd::stream::read::Decoder::new(compressed)?;
    d.window_log_max(MAX_WINDOW_LOG)?;
    Ok(Capped::new(d, limit))
}

/// Unpack a zstd payload whole, refusing one that would grow past `limit` (memory never
/// grows past the limit plus the decoder's window) or that is damaged.
pub fn unpack(compressed: &[u8], limit: u64) -> Result<Vec<u8>, SyncProblem> {
    // Room for the LAN's limit taken at once (address space, not memory, until written):
    // growing by doubling would hold the old and the new buffer at once near the limit.
    let room = usize::try_from(limit.min(MAX_CHANGESET_LAN)).unwrap_or(0);
    let mut out = Vec::with_capacity(room);
    let mut d = decoder(compressed, limit).map_err(|_| SyncProblem::BadPayload)?;
    match d.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            Err(SyncProblem::TooLarge { limit })
        }
        Err(_) => Err(SyncProblem::BadPayload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// `n` zero bytes compressed, without ever holding them.
    fn bomb(n: u64) -> Vec<u8> {
        let mut e = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        std::io::copy(&mut std::io::repeat(0).take(n), &mut e).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn a_payload_within_the_limit_unpacks_whole() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let packed = zstd::stream::encode_all(&data[..], 9).unwrap();
        assert_eq!(unpack(&packed, data.len() as u64).unwrap(), data);
        assert_eq!(unpack(&packed, MAX_CHANGESET_LAN).unwrap(), data);
    }

    #[test]
    fn a_bomb_stops_at_the_limit_and_says_so() {
        let packed = bomb(256 << 20);
        assert!(packed.len() < 64 << 10, "a bomb is small: {}", packed.len());
        assert_eq!(
            unpack(&packed, 1 << 20),
            Err(SyncProblem::TooLarge { limit: 1 << 20 })
        );
        // One byte over is over; exactly the limit is fine.
        let exact = bomb(1000);
        assert_eq!(unpack(&exact, 1000).map(|v| v.len()), Ok(1000));
        assert_eq!(
            unpack(&exact, 999),
            Err(SyncProblem::TooLarge { limit: 999 })
        );
    }

    #[test]
    fn damage_is_a_bad_payload_not_a_panic() {
        assert_eq!(
            unpack(b"not zstd at all", 1 << 20),
            Err(SyncProblem::BadPayload)
        );
        let mut packed = zstd::stream::encode_all(&b"some changes"[..], 9).unwrap();
        let cut = packed.len() - 3;
        packed.truncate(cut);
        assert_eq!(unpack(&packed, 1 << 20), Err(SyncProblem::BadPayload));
        assert_eq!(unpack(&[], 1 << 20), Err(SyncProblem::BadPayload));
    }

    #[test]
    fn a_frame_that_asks_for_a_huge_window_is_refused_before_it_is_allocated() {
        let mut e = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        e.window_log(27).unwrap();
        e.long_distance_matching(true).unwrap();
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let noise: Vec<u8> = (0..(16 << 20))
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect();
        e.write_all(&noise).unwrap();
        let packed = e.finish().unwrap();
        assert_eq!(unpack(&packed, 1 << 30), Err(SyncProblem::BadPayload));
    }

    #[test]
    fn the_capped_reader_streams_and_fails_only_past_the_limit() {
        let mut out = Vec::new();
        let mut r = Capped::new(&b"abcdef"[..], 6);
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"abcdef");
        let mut r = Capped::new(&b"abcdefg"[..], 6);
        let e = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
        assert_eq!(r.limit(), 6);
    }
}
