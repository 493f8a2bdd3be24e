from msptui.cli import main

raise SystemExit(main())
