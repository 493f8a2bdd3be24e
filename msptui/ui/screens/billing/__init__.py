"""Billing: statement preview, a contract's rates and prepaid hours."""
