//! Privacy accountants: RDP, PLD, zCDP, basic/advanced composition, the
//! analytic Gaussian curve, and the DP-SGD convenience layer over them.

pub mod analytic_gaussian;
pub mod composition;
pub mod dpsgd;
pub mod normal;
pub mod pld;
pub mod rdp;
pub mod zcdp;
