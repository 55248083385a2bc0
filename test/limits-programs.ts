/** Simple functions the limits tests share: one that never returns, one that does a bounded loop. */
export const SPIN_AND_COUNT = `fn spin() -> i64:
    var i = 0
    while true:
        i += 1
    i

fn count(n: i64) -> i64:
    var i = 0
    var s = 0
    while i < n:
        s += i
        i += 1
    s
`;
