extension SizeCheck {
    /// Measures an API key: its length against the budget and context, like a token's.
    /// An API key has no claims, so the only way it fails is by being over budget.
    ///
    /// - Parameters:
    ///   - input: the input's name in output.
    ///   - file: the file it came from, if any.
    ///   - line: its line in that file or in standard input, if any.
    ///   - apiKey: what the key says about itself (``APIKey/inspect(_:)``); its text is not kept.
    ///   - policy: the budget and context.
    public init(input: String, file: String? = nil, line: Int? = nil, apiKey: APIKey.Inspection, policy: ClaimPolicy) {
        self.input = input
        self.file = file
        self.line = line
        self.report = nil
        self.findings = []
        self.budget = policy.budget
        self.context = policy.context
        self.totalBytes = apiKey.byteCount
        self.overBudget = policy.isOverBudget(tokenBytes: apiKey.byteCount)
        self.apiKey = apiKey
    }
}
