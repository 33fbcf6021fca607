//! Photo files of hazards: checked (a JPEG or PNG, whole, not too big), kept once in
//! `photos/` beside the database named by their SHA-256 (0600, folder 0700) with a small
//! thumbnail beside them, matched to hazards by the time the camera took them (EXIF), and
//! shown as thumbnails in printed reports and notices.
//!
//! Attaching is all or nothing: every file is checked before anything is kept, and the rows
//! go in one transaction.

use crate::domain::photo::{MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, PhotoProblem, Recorded};
use crate::error::{Error, Result};
use crate::store::{NewPhoto, RecordedHazard, Store};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The longest side of a thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 320;

fn file_name(hash: &str, format: &str) -> String {
    let ext = if format == "png" { "png" } else { "jpg" };
    format!("{hash}.{ext}")
}

fn thumb_name(hash: &str) -> String {
    format!("{hash}.thumb.jpg")
}

/// A photo file checked and ready to keep.
#[derive(Clone, Debug)]
pub struct Checked {
    pub path: PathBuf,
    pub photo: NewPhoto,
    /// The thumbnail as JPEG bytes.
    pub thumb: Vec<u8>,
}

fn refuse(path: &Path, problem: PhotoProblem) -> Error {
    Error::Photo {
        path: path.to_path_buf(),
        problem,
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Read and check one file: a regular file, at most `MAX_PHOTO_BYTES`, a JPEG or PNG by its
/// content, whole (it decodes to the end) and at most `MAX_PHOTO_PIXELS`.
pub fn check(path: &Path) -> Result<Checked> {
    let meta = std::fs::metadata(path).map_err(io(path))?;
    if !meta.is_file() {
        return Err(refuse(path, PhotoProblem::NotAFile));
    }
    if meta.len() > MAX_PHOTO_BYTES {
        return Err(refuse(path, PhotoProblem::TooLarge(meta.len())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .map_err(io(path))?
        .take(MAX_PHOTO_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io(path))?;
    if bytes.len() as u64 > MAX_PHOTO_BYTES {
        return Err(refuse(path, PhotoProblem::TooLarge(bytes.len() as u64)));
    }
    let format = match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Jpeg) => "jpeg",
        Ok(image::ImageFormat::Png) => "png",
        _ => return Err(refuse(path, PhotoProblem::NotAnImage)),
    };
    let reader = || {
        let mut r = image::ImageReader::new(std::io::Cursor::new(&bytes));
        r.set_format(if format == "png" {
            image::ImageFormat::Png
        } else {
            image::ImageFormat::Jpeg
        });
        r
    };
    let damaged = |e: image::ImageError| refuse(path, PhotoProblem::Damaged(e.to_string()));
    let (width, height) = reader().into_dimensions().map_err(damaged)?;
    if u64::from(width) * u64::from(height) > MAX_PHOTO_PIXELS {
        return Err(refuse(path, PhotoProblem::TooManyPixels(width, height)));
    }
    let mut r = reader();
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PHOTO_PIXELS * 4 + 1024);
    r.limits(limits);
    let mut picture = r.decode().map_err(damaged)?;
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&bytes))
        .ok();
    if let Some(o) = exif
        .as_ref()
        .and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY))
        .and_then(|f| f.value.get_uint(0))
        .and_then(|v| u8::try_from(v).ok())
        .and_then(image::metadata::Orientation::from_exif)
    {
        picture.apply_orientation(o);
    }
    let taken_at = exif.as_ref().and_then(taken_at);
    let thumb = thumbnail(&picture).map_err(damaged)?;
    let hash = hex(&Sha256::digest(&bytes));
    Ok(Checked {
        path: path.to_path_buf(),
        photo: NewPhoto {
            hash,
            format,
            bytes: bytes.len() as u64,
            width,
            height,
            taken_at,
            file_name: path
                .file_name()
                .map(|n| crate::domain::text::clean(&n.to_string_lossy()))
                .unwrap_or_default(),
        },
        thumb,
    })
}

/// When the camera took the picture: EXIF DateTimeOriginal, else DateTime, as
/// `YYYY-MM-DDTHH:MM:SS` (the camera's wall time).
fn taken_at(e: &exif::Exif) -> Option<String> {
    [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .iter()
        .find_map(|tag| {
            let f = e.get_field(*tag, exif::In::PRIMARY)?;
            let exif::Value::Ascii(v) = &f.value else {
                return None;
            };
            let d = exif::DateTime::from_ascii(v.first()?).ok()?;
            let date = chrono::NaiveDate::from_ymd_opt(
                i32::from(d.year),
                u32::from(d.month),
                u32::from(d.day),
            )?;
            let t =
                date.and_hms_opt(u32::from(d.hour), u32::from(d.minute), u32::from(d.second))?;
            Some(t.format("%Y-%m-%dT%H:%M:%S").to_string())
        })
}

fn thumbnail(picture: &image::DynamicImage) -> image::ImageResult<Vec<u8>> {
    let small = picture.thumbnail(THUMB_SIZE, THUMB_SIZE).into_rgb8();
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    small.write_with_encoder(enc)?;
    Ok(out)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Keep a checked photo and its thumbnail in the photo folder, once: a picture already there
/// (same hash) is not written again.
pub fn keep(dir: &Path, c: &Checked) -> Result<()> {
    crate::fsio::create_private_dir(dir).map_err(io(dir))?;
    let target = dir.join(file_name(&c.photo.hash, c.photo.format));
    if !target.is_file() {
        // Read again and compare: the file must be the one that was checked.
        let bytes = std::fs::read(&c.path).map_err(io(&c.path))?;
        if hex(&Sha256::digest(&bytes)) != c.photo.hash {
            return Err(refuse(
                &c.path,
                PhotoProblem::Damaged("changed while reading".into()),
            ));
        }
        crate::fsio::write_private_atomic(&target, &bytes)?;
    }
    let thumb = dir.join(thumb_name(&c.photo.hash));
    if !thumb.is_file() {
        crate::fsio::write_private_atomic(&thumb, &c.thumb)?;
    }
    Ok(())
}

/// Check every file, then keep them and attach them to a hazard: if any file is refused,
/// nothing is attached. Returns how many were newly attached.
pub fn attach(store: &mut Store, hazard_id: &str, files: &[PathBuf]) -> Result<usize> {
    let checked = files.iter().map(|f| check(f)).collect::<Result<Vec<_>>>()?;
    attach_checked(store, hazard_id, &checked)
}

/// Keep checked photos and attach them to a hazard in one transaction.
pub fn attach_checked(store: &mut Store, hazard_id: &str, checked: &[Checked]) -> Result<usize> {
    let dir = crate::paths::photos_dir(store.path());
    for c in checked {
        keep(&dir, c)?;
    }
    let rows: Vec<NewPhoto> = checked.iter().map(|c| c.photo.clone()).collect();
    store.attach_photos(hazard_id, &rows)
}

/// What `photos import DIR` proposes.
#[derive(Debug, Default)]
pub struct Proposal {
    /// Each photo and the hazard recorded nearest in time that day.
    pub matched: Vec<(Checked, RecordedHazard)>,
    /// Pictures with no time, or taken on a day without hazards.
    pub unmatched: Vec<(PathBuf, Unmatched)>,
    /// Files that are not pictures, or bad ones, and why (never attached).
    pub refused: Vec<Error>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmatched {
    /// The picture carries no EXIF time.
    NoTime,
    /// No hazard was recorded on the day it was taken (the day).
    NoHazardThatDay(String),
}

/// The files of a folder to look at for photos: not its sub-folders, hidden files skipped,
/// in name order.
pub fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

/// Read a phone's photo folder (its files, not its sub-folders; hidden files skipped, in
/// name order) and match each picture to the hazard recorded nearest in time that day.
pub fn propose(store: &Store, dir: &Path) -> Result<Proposal> {
    let files = files_in(dir)?;
    let mut p = Proposal::default();
    let mut days: std::collections::HashMap<String, Vec<(Recorded, RecordedHazard)>> =
        std::collections::HashMap::new();
    for f in files {
        let c = match check(&f) {
            Ok(c) => c,
            Err(e) => {
                p.refused.push(e);
                continue;
            }
        };
        let Some(taken) = c
            .photo
            .taken_at
            .as_deref()
            .and_then(|t| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").ok())
        else {
            p.unmatched.push((f, Unmatched::NoTime));
            continue;
        };
        let day = crate::domain::day::format(taken.date());
        if !days.contains_key(&day) {
            let hz = store
                .hazards_recorded_on(&day)?
                .into_iter()
                .filter_map(|h| {
                    let at = crate::domain::clock::parse_stamp(&h.found_at)?.naive_local();
                    Some((
                        Recorded {
                            id: h.id.clone(),
                            at,
                        },
                        h,
                    ))
                })
                .collect();
            days.insert(day.clone(), hz);
        }
        let hz = days.get(&day).map(Vec::as_slice).unwrap_or(&[]);
        let recorded: Vec<Recorded> = hz.iter().map(|(r, _)| r.clone()).collect();
        match crate::domain::photo::nearest_same_day(taken, &recorded)
            .and_then(|best| hz.iter().find(|(r, _)| r.id == best.id))
        {
            Some((_, h)) => p.matched.push((c, h.clone())),
            None => p.unmatched.push((f, Unmatched::NoHazardThatDay(day))),
        }
    }
    Ok(p)
}

/// Attach what a proposal matched, in one transaction (per the whole folder): all or nothing.
pub fn attach_proposal(store: &mut Store, p: &Proposal) -> Result<usize> {
    let dir = crate::paths::photos_dir(store.path());
    for (c, _) in &p.matched {
        keep(&dir, c)?;
    }
    let mut by_hazard: Vec<(String, Vec<NewPhoto>)> = Vec::new();
    for (c, h) in &p.matched {
        match by_hazard.iter_mut().find(|(id, _)| *id == h.id) {
            Some((_, v)) => v.push(c.photo.clone()),
            None => by_hazard.push((h.id.clone(), vec![c.photo.clone()])),
        }
    }
    store.attach_photo_sets(&by_hazard)
}

/// The thumbnail of a kept photo as a `data:` URL for an HTML page (None if it is missing
/// and cannot be made).
pub fn thumb_data_url(db: &Path, hash: &str, format: &str) -> Option<String> {
    let dir = crate::paths::photos_dir(db);
    let bytes = std::fs::read(dir.join(thumb_name(hash))).ok().or_else(|| {
        let original = std::fs::read(dir.join(file_name(hash, format))).ok()?;
        let picture = image::load_from_memory(&original).ok()?;
        thumbnail(&picture).ok()
    })?;
    Some(format!("data:image/jpeg;base64,{}", base64(&bytes)))
}

/// Thumbnails of every hazard's photos, by hazard id, for the HTML report and notices.
pub fn thumbs_for(
    store: &Store,
    hazard_ids: &[&str],
) -> Result<std::collections::HashMap<String, Vec<String>>> {
    let mut out = std::collections::HashMap::new();
    for id in hazard_ids {
        // Photos only decorate a printed page: a database from before photos, read where it
        // cannot be upgraded, simply has none.
        let urls: Vec<String> = store
            .photos_of(id)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| thumb_data_url(store.path(), &p.hash, &p.format))
            .collect();
        if !urls.is_empty() {
            out.insert((*id).to_string(), urls);
        }
    }
    Ok(out)
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_as_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
