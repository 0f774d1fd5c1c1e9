"""The leadership's records are kept on their page, through the actions (each write leaves its
ledger entry); the admin site does not write them."""
