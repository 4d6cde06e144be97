"""The SMS channel's rules: segments and fitting, keywords, numbers, the per-number state
(opt-out, numbered choices, quotas) and delivery reports. No HTTP, no aiogram."""
