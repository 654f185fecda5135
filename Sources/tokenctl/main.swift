import TokenCLI

TokenCTL.main()
