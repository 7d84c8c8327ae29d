from campaign.cli import programme

raise SystemExit(programme())
