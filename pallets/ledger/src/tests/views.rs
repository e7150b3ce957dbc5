//! What the runtime API reads (`views.rs`).

use super::*;

#[test]
fn statement_pages_are_bounded_and_linked() {
	run(|| {
		for _ in 0..5 {
			grant(ALICE, 1);
		}
		let first = L::statement_page(&ALICE, 0, 2);
		assert_eq!((first.lines.len(), first.total, first.next), (2, 5, Some(2)));
		let last = L::statement_page(&ALICE, 4, 1_000);
		assert_eq!((last.lines.len(), last.next), (1, None));
		assert!(L::statement_page(&ALICE, 9, 10).lines.is_empty());
		let summary = branch_summary(0);
		assert_eq!((summary.redemption_liability, summary.outstanding_spendable), (5, 5));
	});
}
