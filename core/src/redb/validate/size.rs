//! Memory sizes as a REDB writes them: Redis Enterprise's `100MB`, `0.1GB`, `1GB` (units B, KB, MB, GB, TB, any
//! case; binary multiples, as Redis Enterprise counts them: 1GB = 1024 MB) or a Kubernetes quantity (`1Gi`,
//! `500M`, `1073741824`).

/// 100MB, the smallest database.
pub(crate) const MIN_MEMORY: i128 = 100 << 20;
/// 1GB, the smallest Auto Tiering database (RAM and flash).
pub(crate) const MIN_ROF_MEMORY: i128 = 1 << 30;

/// The size in bytes, or `None` when `text` is not a size or is negative.
pub(crate) fn bytes(text: &str) -> Option<i128> {
    let text = text.trim();
    redis_size(text).or_else(|| {
        let milli = crate::quantity::parse(text).ok()?.0;
        (milli >= 0).then_some(milli / 1000)
    })
}

/// `<number><unit>`: digits, an optional fraction, then B, KB, MB, GB or TB.
fn redis_size(text: &str) -> Option<i128> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let shift = match unit.to_ascii_uppercase().as_str() {
        "B" => 0,
        "KB" => 10,
        "MB" => 20,
        "GB" => 30,
        "TB" => 40,
        _ => return None,
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || number.ends_with('.') {
        return None;
    }
    let unit: i128 = 1 << shift;
    let whole: i128 = whole.parse().ok()?;
    let fraction_value: i128 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    let scale = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    whole
        .checked_mul(unit)?
        .checked_add(fraction_value.checked_mul(unit)? / scale)
}

/// A byte count as the largest unit that keeps it exact enough to read (`100MB`, `1.5GB`).
pub(crate) fn shown(bytes: i128) -> String {
    for (unit, shift) in [("TB", 40), ("GB", 30), ("MB", 20), ("KB", 10)] {
        let size = 1i128 << shift;
        if bytes >= size {
            let tenths = bytes * 10 / size;
            return if tenths % 10 == 0 {
                format!("{}{unit}", tenths / 10)
            } else {
                format!("{}.{}{unit}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes}B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_redis_and_kubernetes_forms() {
        assert_eq!(bytes("100MB"), Some(100 << 20));
        assert_eq!(bytes("0.1GB"), Some((1 << 30) / 10));
        assert_eq!(bytes("1GB"), Some(1 << 30));
        assert_eq!(bytes("1gb"), Some(1 << 30));
        assert_eq!(bytes("2TB"), Some(2 << 40));
        assert_eq!(bytes("1Gi"), Some(1 << 30));
        assert_eq!(bytes("500M"), Some(500_000_000));
        assert_eq!(bytes("1073741824"), Some(1 << 30));
        for bad in [
            "",
            "MB",
            "1.MB",
            ".5GB",
            "1 GB x",
            "lots",
            "1XB",
            "-1Gi",
            "1e999999GB",
            "99999999999999999999GB",
        ] {
            assert_eq!(bytes(bad), None, "{bad}");
        }
    }

    #[test]
    fn shows_sizes() {
        assert_eq!(shown(100 << 20), "100MB");
        assert_eq!(shown(3 << 29), "1.5GB");
        assert_eq!(shown(12), "12B");
    }
}
