from qbank.cli.main import main

raise SystemExit(main())
