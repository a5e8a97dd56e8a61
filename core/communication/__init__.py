"""What the plan tells people: assembly slides, printable packs, the bulletin, HTML and the SVG map."""
