use firepatrol::store::*;
use std::time::Instant;
fn main() {
    let c = firepatrol::domain::clock::Clock::System;
    let s = Store::open(
        std::path::Path::new("/tmp/big/big.db"),
        OpenMode::Existing,
        c,
    )
    .unwrap();
    for st in StatusFilter::ALL {
        for sort in LedgerSort::ALL {
            let t = Instant::now();
            let (rows, total) = s
                .ledger(
                    &LedgerFilter {
                        status: st,
                        sort,
                        ..Default::default()
                    },
                    300,
                )
                .unwrap();
            println!("{st:?} {sort:?} {} {} {:?}", rows.len(), total, t.elapsed());
        }
    }
    let t = Instant::now();
    let f = LedgerFilter {
        status: StatusFilter::Open,
        grid: Some("第1网格".into()),
        ..Default::default()
    };
    let (rows, total) = s.ledger(&f, 300).unwrap();
    println!("grid {} {} {:?}", rows.len(), total, t.elapsed());
}
