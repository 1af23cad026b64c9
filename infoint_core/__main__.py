from infoint_core.cli import main

raise SystemExit(main())
